package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.history.Diff;
import dev.configstore.history.KeyChange;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", description = "What changed between two revisions (REV_B defaults to the head).")
final class DiffCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REV_A")
    long from;

    @Parameters(index = "1", paramLabel = "REV_B", arity = "0..1")
    Long to;

    @Option(names = "--profile", paramLabel = "P", description = "only this document (default: every document)")
    String profile;

    enum Format { text, json, csv }

    @Option(names = "--format", paramLabel = "F", description = "text (one line per key, default), json or csv")
    Format format = Format.text;

    @Override
    public Integer call() {
        try (ConfigStore store = openForReading()) {
            long target = to == null ? store.revision() : to;
            Diff diff = profile == null ? store.history().diff(from, target)
                    : store.history().diff(profile, from, target);
            PrintWriter out = spec.commandLine().getOut();
            if (format != Format.text) {
                rows(diff).print(out, format == Format.json ? Rows.Format.json : Rows.Format.csv);
                return Main.OK;
            }
            if (diff.isEmpty()) {
                out.println("no changes between revision " + from + " and " + target);
            }
            print(diff, profile == null, out);
        }
        return Main.OK;
    }

    /** A diff as rows, one per changed key (the console's /api/diff too). */
    static Rows rows(Diff diff) {
        Rows rows = Rows.of("document", "key", "kind", "old_value", "new_value");
        for (KeyChange change : diff.changes()) {
            rows = rows.add(change.document(), change.key().toString(), change.kind().name(), change.oldValue(),
                    change.newValue());
        }
        return rows;
    }

    /** One line per changed key: + added, - removed, ~ changed. */
    static void print(Diff diff, boolean withDocument, PrintWriter out) {
        for (KeyChange change : diff.changes()) {
            String where = (withDocument ? change.document() + ":" : "") + change.key();
            switch (change.kind()) {
                case ADDED -> out.println("+ " + where + " = " + Render.compact(change.newValue().orElseThrow()));
                case REMOVED -> out.println("- " + where + " (was " + Render.compact(change.oldValue().orElseThrow()) + ")");
                case CHANGED -> out.println("~ " + where + ": " + Render.compact(change.oldValue().orElseThrow())
                        + " -> " + Render.compact(change.newValue().orElseThrow()));
            }
        }
    }
}
