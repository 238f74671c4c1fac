package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.history.HistoryEntry;
import dev.configstore.history.HistoryQuery;
import dev.configstore.history.OperationEntry;
import dev.configstore.history.RevisionEntry;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "history", description = "Revisions newest first; with --key that key's changes; with --operations the"
        + " operation log.")
final class HistoryCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", paramLabel = "K", description = "only changes of this key and below")
    String key;

    @Option(names = "--profile", paramLabel = "P", description = "the document of --key (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--operations", description = "the operation log (every operation, failed ones too)")
    boolean operations;

    @Option(names = "--since", paramLabel = "T", description = "at or after this time (ISO-8601; a date is its start, UTC)")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "at or before this time")
    String until;

    @Option(names = "--actor", paramLabel = "NAME", description = "only this actor")
    String actor;

    @Option(names = "--op", paramLabel = "OP", description = "only this operation (set, restore, import, ...)")
    String operation;

    @Option(names = "--limit", paramLabel = "N", description = "at most N entries (default 20)")
    int limit = 20;

    @Option(names = "--before", paramLabel = "N", description = "only revisions below N (the next page after a"
            + " page whose oldest revision is N)")
    Long before;

    @Option(names = "--format", paramLabel = "F", description = "table, json or csv (default table)")
    Rows.Format format = Rows.Format.table;

    @Override
    public Integer call() {
        if (key != null && operations) {
            throw new IllegalArgumentException("--key and --operations do not go together");
        }
        HistoryQuery query = query(limit, "--", since, until, actor, operation, before);
        Rows rows;
        try (ConfigStore store = openForReading()) {
            rows = operations ? operations(store, query) : key == null ? revisions(store, query)
                    : ofKey(store, profile, key, query);
        }
        rows.print(spec.commandLine().getOut(), format);
        return Main.OK;
    }

    /**
     * The query the filters ask for (the console's /api/history too); a null filter is no
     * filter. {@code prefix} goes before a filter's name in a message about it ({@code --since}).
     */
    static HistoryQuery query(int limit, String prefix, String since, String until, String actor, String operation,
                              Long before) {
        HistoryQuery query = HistoryQuery.newest(limit);
        if (since != null) {
            query = query.since(Times.parse(prefix + "since", since));
        }
        if (until != null) {
            query = query.until(Times.parse(prefix + "until", until));
        }
        query = new HistoryQuery(query.since(), query.until(), Optional.ofNullable(actor),
                Optional.ofNullable(operation), query.limit());
        return before == null ? query : query.beforeRevision(before);
    }

    /** The operation log as rows (the console's /api/operations too). */
    static Rows operations(ConfigStore store, HistoryQuery query) {
        Rows rows = Rows.of("operation_id", "started_at", "actor", "operation", "document", "revision",
                "duration_micros", "outcome", "error");
        for (OperationEntry entry : store.history().operations(query)) {
            rows = rows.add(entry.id(), entry.startedAt(), entry.actor(), entry.operation(), entry.document(),
                    entry.revision().isPresent() ? (Object) entry.revision().getAsLong() : Optional.empty(),
                    entry.duration().toNanos() / 1000, entry.outcome(), entry.error());
        }
        return rows;
    }

    /** Revisions as rows, newest first (the console's /api/history too). */
    static Rows revisions(ConfigStore store, HistoryQuery query) {
        Rows rows = Rows.of("revision", "committed_at", "actor", "operation", "message");
        for (RevisionEntry entry : store.history().revisions(query)) {
            rows = rows.add(entry.revision(), entry.committedAt(), entry.actor(), entry.operation(), entry.message());
        }
        return rows;
    }

    /** One key's changes (and its subtree's) as rows, newest first (the console's key history too). */
    static Rows ofKey(ConfigStore store, String document, String key, HistoryQuery query) {
        Rows rows = Rows.of("revision", "committed_at", "actor", "key", "change", "old_value", "new_value");
        for (HistoryEntry entry : store.history().ofKey(document, key, query)) {
            rows = rows.add(entry.revision().revision(), entry.revision().committedAt(), entry.revision().actor(),
                    entry.change().key().toString(), entry.change().kind().name(), entry.change().oldValue(),
                    entry.change().newValue());
        }
        return rows;
    }
}
