package dev.configstore.cli;

import dev.configstore.Batch;
import dev.configstore.WriteResult;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The options every writing command takes (a picocli mixin), and how a write is reported. */
final class WriteOptions {

    @Option(names = "--expect-revision", paramLabel = "N",
            description = "fail with exit 4 if the document changed after revision N")
    Long expectRevision;

    @Option(names = {"-m", "--message"}, paramLabel = "MSG", description = "why, recorded with the revision")
    String message;

    /** Applies the options to the batch, commits it and prints the outcome. */
    void commit(Batch batch, PrintWriter out) {
        if (expectRevision != null) {
            batch.expectRevision(expectRevision);
        }
        if (message != null) {
            batch.message(message);
        }
        WriteResult result = batch.commit();
        out.println(result.changed()
                ? "revision " + result.revision() + " (" + result.keysChanged() + " key"
                + (result.keysChanged() == 1 ? "" : "s") + " changed)"
                : "unchanged at revision " + result.revision());
    }
}
