package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.health.ChainVerification;
import dev.configstore.health.ChecksumMismatch;
import dev.configstore.health.VerifyResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = "Recompute every stored checksum, and with --chain the history's hash chain;"
        + " exit 6 on any mismatch.")
final class VerifyCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    enum Text { text, json }

    @Option(names = "--format", paramLabel = "F", description = "text (default) or json")
    Text format = Text.text;

    @Option(names = "--chain", description = "also recompute the history's hash chain: exit 6 naming the first"
            + " revision changed after it was written")
    boolean chain;

    @Option(names = "--anchor", paramLabel = "REV:HASH", description = "also prove that the history up to REV is the"
            + " one whose chain hash was HASH (as 'revision --hash' printed it then); implies --chain")
    String anchor;

    @Option(names = "--secrets", description = "also decrypt every secret at every revision: exit 6 naming each one"
            + " that does not (a missing key, a ciphertext moved or changed)")
    boolean secrets;

    @Override
    public Integer call() {
        long anchorRevision = -1;
        String anchorHash = null;
        if (anchor != null) {
            int colon = anchor.indexOf(':');
            try {
                anchorRevision = Long.parseLong(anchor.substring(0, Math.max(colon, 0)));
            } catch (NumberFormatException e) {
                anchorRevision = -1;
            }
            anchorHash = anchor.substring(colon + 1);
            if (colon < 0 || anchorRevision < 0 || !anchorHash.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("--anchor is REVISION:HASH with the 64 hex digits of the chain"
                        + " hash, was '" + anchor + "'");
            }
        }
        VerifyResult result;
        ChainVerification chained = null;
        java.util.List<String> secretFailures = java.util.List.of();
        PrintWriter err = spec.commandLine().getErr();
        try (ConfigStore store = openStore(); Progress progress = Progress.onTerminal(err, "verified", "value rows", 0)) {
            // progress only when a person watches: a terminal gets one line rewritten in place
            result = store.health().verify((done, total, document) -> progress.update(done, total));
            if (secrets) {
                secretFailures = store.secrets().verify();
            }
            if (anchor != null) {
                chained = store.health().verifyChain(anchorRevision, anchorHash);
            } else if (chain) {
                chained = store.health().verifyChain();
            }
        }
        boolean clean = result.isClean() && (chained == null || chained.isIntact()) && secretFailures.isEmpty();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Text.json) {
            ObjectNode report = JsonNodeFactory.instance.objectNode().put("clean", result.isClean())
                    .put("head_revision", result.headRevision()).put("versions_checked", result.versionsChecked())
                    .put("rows_checked", result.rowsChecked());
            if (chained != null) {
                ChainVerification checked = chained;
                report.put("clean", clean);
                ObjectNode chainReport = report.putObject("chain").put("intact", chained.isIntact())
                        .put("floor_revision", chained.floorRevision()).put("head_revision", chained.headRevision())
                        .put("revisions_checked", chained.revisionsChecked()).put("hmacs_checked", chained.macsChecked());
                checked.firstBrokenRevision().ifPresent(broken -> chainReport.put("first_broken_revision", broken)
                        .put("problem", checked.problem()));
            }
            if (secrets) {
                report.put("clean", clean);
                ArrayNode failures = report.putArray("secret_failures");
                secretFailures.forEach(failures::add);
            }
            ArrayNode mismatches = report.putArray("mismatches");
            for (ChecksumMismatch mismatch : result.mismatches()) {
                mismatches.addObject().put("document", mismatch.document()).put("revision", mismatch.revision())
                        .put("stored", mismatch.expected()).put("recomputed", mismatch.actual())
                        .put("detail", mismatch.detail());
            }
            out.println(Render.json(report));
            return clean ? Main.OK : Main.INTEGRITY;
        }
        for (ChecksumMismatch mismatch : result.mismatches()) {
            out.println("MISMATCH document " + mismatch.document() + " revision " + mismatch.revision()
                    + ": stored " + mismatch.expected() + ", recomputed " + mismatch.actual()
                    + (mismatch.detail().isEmpty() ? "" : " (" + mismatch.detail() + ")"));
        }
        out.println((result.isClean() ? "OK" : "FAILED") + ": " + result.versionsChecked() + " document revisions, "
                + result.rowsChecked() + " value rows checked up to revision " + result.headRevision()
                + ", " + result.mismatches().size() + " mismatches");
        if (secrets) {
            secretFailures.forEach(failure -> out.println("SECRET " + failure));
            out.println((secretFailures.isEmpty() ? "OK" : "FAILED") + ": secrets, " + secretFailures.size()
                    + " that do not decrypt");
        }
        if (chained != null) {
            out.println(chained.isIntact() ? "OK: hash chain intact from revision " + chained.floorRevision() + " to "
                    + chained.headRevision() + " (" + chained.revisionsChecked() + " revisions"
                    + (chained.macsChecked() ? ", HMACs checked" : "") + (anchor != null ? ", anchor " + anchor
                    + " matches" : "") + ")"
                    : "BROKEN: hash chain at revision " + chained.firstBrokenRevision().getAsLong() + ": "
                    + chained.problem());
        }
        return clean ? Main.OK : Main.INTEGRITY;
    }
}
