package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.health.ChecksumMismatch;
import dev.configstore.health.VerifyResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = "Recompute every stored checksum; exit 6 on any mismatch.")
final class VerifyCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    enum Text { text, json }

    @Option(names = "--format", paramLabel = "F", description = "text (default) or json")
    Text format = Text.text;

    @Override
    public Integer call() {
        VerifyResult result;
        PrintWriter err = spec.commandLine().getErr();
        try (ConfigStore store = openStore(); Progress progress = Progress.onTerminal(err, "verified", "value rows", 0)) {
            // progress only when a person watches: a terminal gets one line rewritten in place
            result = store.health().verify((done, total, document) -> progress.update(done, total));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Text.json) {
            ObjectNode report = JsonNodeFactory.instance.objectNode().put("clean", result.isClean())
                    .put("head_revision", result.headRevision()).put("versions_checked", result.versionsChecked())
                    .put("rows_checked", result.rowsChecked());
            ArrayNode mismatches = report.putArray("mismatches");
            for (ChecksumMismatch mismatch : result.mismatches()) {
                mismatches.addObject().put("document", mismatch.document()).put("revision", mismatch.revision())
                        .put("stored", mismatch.expected()).put("recomputed", mismatch.actual())
                        .put("detail", mismatch.detail());
            }
            out.println(Render.json(report));
            return result.isClean() ? Main.OK : Main.INTEGRITY;
        }
        for (ChecksumMismatch mismatch : result.mismatches()) {
            out.println("MISMATCH document " + mismatch.document() + " revision " + mismatch.revision()
                    + ": stored " + mismatch.expected() + ", recomputed " + mismatch.actual()
                    + (mismatch.detail().isEmpty() ? "" : " (" + mismatch.detail() + ")"));
        }
        out.println((result.isClean() ? "OK" : "FAILED") + ": " + result.versionsChecked() + " document revisions, "
                + result.rowsChecked() + " value rows checked up to revision " + result.headRevision()
                + ", " + result.mismatches().size() + " mismatches");
        return result.isClean() ? Main.OK : Main.INTEGRITY;
    }
}
