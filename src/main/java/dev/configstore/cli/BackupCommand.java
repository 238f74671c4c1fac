package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.backup.RestorePoint;
import dev.configstore.backup.RetentionPolicy;
import dev.configstore.history.Diff;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = "Restore points: named, pinned revisions of a document or the whole store.",
        subcommands = {BackupCommand.Create.class, BackupCommand.ListPoints.class, BackupCommand.Restore.class,
                BackupCommand.Delete.class, BackupCommand.Cleanup.class})
final class BackupCommand {

    @ParentCommand
    Main main;

    abstract static class Sub extends SubcommandOptions {
        @ParentCommand
        BackupCommand backup;

        @Override
        Main main() {
            return backup.main;
        }
    }

    @Command(name = "create", description = "Pin the head revision of the store, or of one document with --profile.")
    static final class Create extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", arity = "0..1",
                description = "default: r<head revision>[-<profile>], made unique")
        String name;

        @Option(names = "--profile", paramLabel = "P", description = "pin only this document")
        String profile;

        @Option(names = "--priority", paramLabel = "N", description = "kept longer by 'cleanup --policy priority' (default 0)")
        int priority;

        @Option(names = {"-m", "--message"}, paramLabel = "NOTE", description = "why")
        String note = "";

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                String chosen = name != null ? name : defaultName(store);
                RestorePoint point = profile == null ? store.backups().create(chosen, priority, note)
                        : store.backups().create(profile, chosen, priority, note);
                out().println("restore point '" + point.name() + "' pins revision " + point.revision() + " of "
                        + point.scope());
            }
            return Main.OK;
        }

        private String defaultName(ConfigStore store) {
            String base = "r" + store.refresh() + (profile == null ? "" : "-" + profile);
            base = base.length() > 60 ? base.substring(0, 60) : base;
            String candidate = base;
            for (int n = 2; store.backups().find(candidate).isPresent(); n++) {
                candidate = base + "-" + n;
            }
            return candidate;
        }
    }

    @Command(name = "list", description = "List restore points, oldest first.")
    static final class ListPoints extends Sub implements Callable<Integer> {
        @Option(names = "--format", paramLabel = "F", description = "table (default), json or csv")
        Rows.Format format = Rows.Format.table;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                rows(store.backups().list()).print(out(), format);
            }
            return Main.OK;
        }
    }

    /** Restore points as rows: the document of a store-wide point is null in JSON, {@code (store)} in text. */
    static Rows rows(List<RestorePoint> points) {
        Rows rows = Rows.of("name", "document", "revision", "priority", "kind", "created_at", "note");
        for (RestorePoint point : points) {
            rows = rows.add(point.name(), point.document().map(Object.class::cast).orElse(new Rows.Shown(null, "(store)")), point.revision(),
                    point.priority(), point.automatic() ? "automatic" : "manual", point.createdAt(), point.note());
        }
        return rows;
    }

    @Command(name = "restore", description = "Write a new revision equal to the pinned state (history is kept).")
    static final class Restore extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--dry-run", description = "print what would change and write nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                if (dryRun) {
                    Diff diff = store.backups().preview(name);
                    if (diff.isEmpty()) {
                        out().println("no key would change; a restore may still change metadata (parent,"
                                + " description, tags) or bring back an empty document");
                    }
                    DiffCommand.print(diff, true, out());
                    return Main.OK;
                }
                WriteResult result = store.backups().restore(name);
                report(result, "restored '" + name + "'");
                ProfileCommand.reportAutomaticPoint(store, result, out());
            }
            return Main.OK;
        }
    }

    @Command(name = "delete", description = "Delete a restore point; its revision may then be compacted.")
    static final class Delete extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                store.backups().delete(name);
                out().println("deleted restore point '" + name + "'");
            }
            return Main.OK;
        }
    }

    @Command(name = "cleanup", description = "Keep N restore points made on demand; delete the rest by policy.")
    static final class Cleanup extends Sub implements Callable<Integer> {
        @Option(names = "--keep", paramLabel = "N", required = true, description = "how many to keep")
        int keep;

        @Option(names = "--policy", paramLabel = "P", description = "fifo (oldest go first, default), lifo (newest"
                + " go first) or priority (lowest priority first, then oldest)")
        String policy = "fifo";

        @Option(names = "--dry-run", description = "list what would go and delete nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            if (keep < 0) {
                // a number typed at the terminal is input to validate (exit 5), not a programming mistake
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "keep must be 0 or more, was " + keep);
            }
            RetentionPolicy chosen;
            try {
                chosen = RetentionPolicy.valueOf(policy.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown policy '" + policy + "'; use fifo, lifo or priority");
            }
            try (ConfigStore store = openStore()) {
                List<RestorePoint> gone = dryRun ? store.backups().previewCleanup(keep, chosen)
                        : store.backups().cleanup(keep, chosen);
                out().println((dryRun ? "would delete " : "deleted ") + gone.size() + " restore point"
                        + (gone.size() == 1 ? "" : "s"));
                if (!gone.isEmpty()) {
                    rows(gone).print(out(), Rows.Format.table);
                }
            }
            return Main.OK;
        }
    }
}
