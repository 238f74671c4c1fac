package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.health.ChecksumMismatch;
import dev.configstore.health.VerifyResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = "Recompute every stored checksum; exit 6 on any mismatch.")
final class VerifyCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        VerifyResult result;
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null;
        try (ConfigStore store = openStore()) {
            // progress only when a person watches: a terminal gets one line rewritten in place
            result = terminal ? store.health().verify((done, total, document) -> {
                err.print("\rverified " + done + " of " + total + " documents");
                err.flush();
            }) : store.health().verify();
        }
        if (terminal) {
            err.println();
        }
        PrintWriter out = spec.commandLine().getOut();
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
