package dev.configstore.cli;

import dev.configstore.Batch;
import dev.configstore.WriteResult;
import picocli.CommandLine.Model.CommandSpec;

/** The options and output every writing command shares. */
final class WriteResults {

    private WriteResults() {
    }

    static Batch options(Batch batch, Long expectRevision, String message) {
        if (expectRevision != null) {
            batch.expectRevision(expectRevision);
        }
        if (message != null) {
            batch.message(message);
        }
        return batch;
    }

    static void print(CommandSpec spec, WriteResult result) {
        spec.commandLine().getOut().println(result.changed()
                ? "revision " + result.revision() + " (" + result.keysChanged() + " key" + (result.keysChanged() == 1 ? "" : "s")
                + " changed)"
                : "unchanged at revision " + result.revision());
    }
}
