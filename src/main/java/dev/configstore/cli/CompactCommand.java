package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.history.CompactionProgress;
import dev.configstore.history.CompactionResult;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compact", description = "Delete old history for good, except revisions restore points pin.")
final class CompactCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Bound bound;

    static final class Bound {
        @Option(names = "--keep-revisions", paramLabel = "N", required = true,
                description = "keep the newest N revisions readable")
        Integer keepRevisions;

        @Option(names = "--before", paramLabel = "DATE", required = true,
                description = "drop what is older than DATE (the state as of DATE stays readable)")
        String before;
    }

    @Override
    public Integer call() {
        if (bound.keepRevisions != null && bound.keepRevisions < 1) {
            // a number typed at the terminal is input to validate (exit 5), not a programming mistake
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the number of revisions to keep must be at"
                    + " least 1, was " + bound.keepRevisions);
        }
        Instant before = bound.before == null ? null : Times.parse("--before", bound.before);
        try (ConfigStore store = openStore();
             Progress progress = Progress.onTerminal(spec.commandLine().getErr(), "compacted", "revisions", 0)) {
            CompactionProgress told = progress::update;
            CompactionResult result = bound.keepRevisions != null
                    ? store.history().compactKeepingNewest(bound.keepRevisions, told)
                    : store.history().compactBefore(before, told);
            progress.close();
            PrintWriter out = spec.commandLine().getOut();
            if (result.rowsRemoved() == 0) {
                out.println("nothing to compact: history starts at revision " + result.floorRevision());
                return Main.OK;
            }
            out.println("compacted below revision " + result.floorRevision() + ": " + result.revisionsRemoved()
                    + " revisions and " + result.rowsRemoved() + " rows removed in " + result.took().toMillis() + " ms");
            if (!result.pinnedKept().isEmpty()) {
                out.println("kept pinned revisions " + result.pinnedKept());
            }
            out.println(result.bytesBefore() < 0 ? "bytes reclaimed: unknown (the file is held by another process)"
                    : "bytes reclaimed: " + result.bytesReclaimed() + " (" + result.bytesBefore() + " -> "
                    + result.bytesAfter() + ")");
        }
        return Main.OK;
    }
}
