package dev.configstore.internal;

import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.history.CompactionResult;
import dev.configstore.history.ChangeKind;
import dev.configstore.history.Diff;
import dev.configstore.history.History;
import dev.configstore.history.HistoryEntry;
import dev.configstore.history.HistoryQuery;
import dev.configstore.history.KeyChange;
import dev.configstore.history.OperationEntry;
import dev.configstore.history.QueryResult;
import dev.configstore.history.RevisionEntry;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.jooq.tables.records.CsRevisionRecord;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record5;
import org.jooq.impl.DSL;

/** History read from the versioned rows with jOOQ. Thread-safe. */
final class JooqHistory implements History {

    private final DefaultConfigStore store;
    private final StoreDatabase database;

    JooqHistory(DefaultConfigStore store, StoreDatabase database) {
        this.store = store;
        this.database = database;
    }

    @Override
    public Diff diff(long fromRevision, long toRevision) {
        return diff(null, fromRevision, toRevision);
    }

    @Override
    public Diff diff(String document, long fromRevision, long toRevision) {
        String name = document == null ? null : DocumentNames.check(document);
        return database.read(context -> {
            DefaultConfigStore.checkRevision(context, fromRevision);
            DefaultConfigStore.checkRevision(context, toRevision);
            long low = Math.min(fromRevision, toRevision);
            long high = Math.max(fromRevision, toRevision);
            // only rows that began or ended inside (low, high] can differ between the two states
            Condition touched = CS_ENTRY.VALID_FROM.gt(low).and(CS_ENTRY.VALID_FROM.le(high))
                    .or(CS_ENTRY.VALID_TO.gt(low).and(CS_ENTRY.VALID_TO.le(high)));
            Condition where = name == null ? touched : CS_ENTRY.DOCUMENT.eq(name).and(touched);
            Map<String, Map<String, String[]>> values = new TreeMap<>();
            for (Record5<String, String, Long, Long, String> row : context
                    .select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALID_TO, CS_ENTRY.VALUE_JSON)
                    .from(CS_ENTRY).where(where).fetch()) {
                String[] pair = values.computeIfAbsent(row.value1(), key -> new TreeMap<>())
                        .computeIfAbsent(row.value2(), key -> new String[2]);
                if (row.value3() <= fromRevision && row.value4() > fromRevision) {
                    pair[0] = row.value5();
                }
                if (row.value3() <= toRevision && row.value4() > toRevision) {
                    pair[1] = row.value5();
                }
            }
            DefaultConfigStore.checkRevision(context, fromRevision); // a compaction may have removed rows meanwhile
            DefaultConfigStore.checkRevision(context, toRevision);
            List<KeyChange> changes = new ArrayList<>();
            values.forEach((doc, keys) -> keys.forEach((path, pair) -> {
                KeyChange change = change(doc, path, pair[0], pair[1]);
                if (change != null) {
                    changes.add(change);
                }
            }));
            return new Diff(fromRevision, toRevision, changes);
        });
    }

    private static KeyChange change(String document, String path, String oldJson, String newJson) {
        if (oldJson == null && newJson == null) {
            return null;
        }
        Optional<JsonNode> oldValue = Optional.ofNullable(oldJson).map(json -> Json.parse(json, "stored value"));
        Optional<JsonNode> newValue = Optional.ofNullable(newJson).map(json -> Json.parse(json, "stored value"));
        if (oldValue.equals(newValue)) {
            return null;
        }
        ChangeKind kind = oldJson == null ? ChangeKind.ADDED : newJson == null ? ChangeKind.REMOVED : ChangeKind.CHANGED;
        return new KeyChange(document, ConfigKey.parse(path), kind, oldValue, newValue);
    }

    @Override
    public List<HistoryEntry> ofKey(String document, String key, int limit) {
        requirePositive(limit);
        return ofKey(document, key, HistoryQuery.newest(limit));
    }

    @Override
    public List<HistoryEntry> ofKey(String document, String key, HistoryQuery query) {
        String name = DocumentNames.check(document);
        String path = KeyPaths.canonical(key);
        int limit = query.limit();
        return database.read(context -> {
            // a prefix match, not a range: PostgreSQL may sort text by a locale where '.' < '/' does not hold
            // two queries, each a range of the primary key (document, key_path, ...): an OR of the two
            // conditions made H2 scan every row of the table
            Map<String, List<Record5<String, String, Long, Long, String>>> byKey = new TreeMap<>();
            for (Condition keys : List.of(CS_ENTRY.KEY_PATH.eq(path),
                    CS_ENTRY.KEY_PATH.startsWith(KeyPaths.descendantsFrom(path)))) {
                context.select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALID_TO,
                                CS_ENTRY.VALUE_JSON)
                        .from(CS_ENTRY).where(CS_ENTRY.DOCUMENT.eq(name)).and(keys)
                        .orderBy(CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM)
                        .fetch()
                        .forEach(row -> byKey.computeIfAbsent(row.value2(), k -> new ArrayList<>()).add(row));
            }
            record Event(long revision, KeyChange change) {
            }
            List<Event> events = new ArrayList<>();
            byKey.forEach((keyPath, rows) -> {
                String previous = null;
                long previousEnd = -1;
                for (var row : rows) {
                    String before = previousEnd == row.value3() ? previous : null;
                    if (previous != null && previousEnd != row.value3() && previousEnd != StoreRows.LIVE) {
                        events.add(new Event(previousEnd, change(name, keyPath, previous, null)));
                    }
                    KeyChange change = change(name, keyPath, before, row.value5());
                    if (change != null) {
                        events.add(new Event(row.value3(), change));
                    }
                    previous = row.value5();
                    previousEnd = row.value4();
                }
                if (previous != null && previousEnd != StoreRows.LIVE) {
                    events.add(new Event(previousEnd, change(name, keyPath, previous, null)));
                }
            });
            long floor = StoreRows.historyFloor(context);
            events.removeIf(event -> event.revision() <= floor); // below the floor the old values may be gone
            events.sort(Comparator.comparingLong(Event::revision).reversed()
                    .thenComparing(event -> event.change().key().toString()));
            boolean filtered = query.since().isPresent() || query.until().isPresent() || query.actor().isPresent()
                    || query.operation().isPresent();
            List<Event> candidates = filtered ? events : events.subList(0, Math.min(limit, events.size()));
            Map<Long, RevisionEntry> revisions = revisionsById(context, candidates.stream().map(Event::revision)
                    .distinct().toList());
            List<HistoryEntry> entries = new ArrayList<>();
            for (Event event : candidates) {
                RevisionEntry revision = revisions.get(event.revision());
                if (revision != null && matches(query, revision) && entries.size() < limit) {
                    entries.add(new HistoryEntry(revision, event.change()));
                }
            }
            return entries;
        });
    }

    private static boolean matches(HistoryQuery query, RevisionEntry revision) {
        return query.since().map(since -> !revision.committedAt().isBefore(since)).orElse(true)
                && query.until().map(until -> !revision.committedAt().isAfter(until)).orElse(true)
                && query.actor().map(revision.actor()::equals).orElse(true)
                && query.operation().map(revision.operation()::equals).orElse(true);
    }

    @Override
    public List<RevisionEntry> revisions(HistoryQuery query) {
        Condition filter = filter(query, CS_REVISION.COMMITTED_AT, CS_REVISION.ACTOR, CS_REVISION.OPERATION);
        return database.read(context -> context.selectFrom(CS_REVISION).where(filter)
                .orderBy(CS_REVISION.REVISION.desc()).limit(query.limit()).fetch().map(JooqHistory::revision));
    }

    @Override
    public List<OperationEntry> operations(HistoryQuery query) {
        Condition filter = filter(query, CS_OPERATION.STARTED_AT, CS_OPERATION.ACTOR, CS_OPERATION.OPERATION);
        return database.read(context -> context.selectFrom(CS_OPERATION).where(filter)
                .orderBy(CS_OPERATION.ID.desc()).limit(query.limit()).fetch().map(JooqHistory::operation));
    }

    /** The query's time range, actor and operation as a condition on a table's columns. */
    private static Condition filter(HistoryQuery query, org.jooq.Field<java.time.OffsetDateTime> time,
                                    org.jooq.Field<String> actor, org.jooq.Field<String> operation) {
        Condition where = DSL.trueCondition();
        if (query.since().isPresent()) {
            where = where.and(time.ge(StoreRows.utc(query.since().get())));
        }
        if (query.until().isPresent()) {
            where = where.and(time.le(StoreRows.utc(query.until().get())));
        }
        if (query.actor().isPresent()) {
            where = where.and(actor.eq(query.actor().get()));
        }
        if (query.operation().isPresent()) {
            where = where.and(operation.eq(query.operation().get()));
        }
        return where;
    }

    private static OperationEntry operation(dev.configstore.internal.jooq.tables.records.CsOperationRecord row) {
        return new OperationEntry(row.getId(), row.getOperation(), Optional.ofNullable(row.getDocument()),
                row.getRevision() == null ? OptionalLong.empty() : OptionalLong.of(row.getRevision()),
                row.getActor(), row.getStartedAt().toInstant(), Duration.ofNanos(row.getDurationUs() * 1000),
                row.getOutcome(), Optional.ofNullable(row.getError()));
    }

    private static Map<Long, RevisionEntry> revisionsById(DSLContext context, Collection<Long> ids) {
        Map<Long, RevisionEntry> revisions = new HashMap<>();
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 1000) { // bounded IN lists
            context.selectFrom(CS_REVISION).where(CS_REVISION.REVISION.in(all.subList(from, Math.min(all.size(),
                            from + 1000)))).fetch()
                    .forEach(row -> revisions.put(row.getRevision(), revision(row)));
        }
        return revisions;
    }

    private static RevisionEntry revision(CsRevisionRecord row) {
        return new RevisionEntry(row.getRevision(), row.getCommittedAt().toInstant(), row.getActor(),
                Optional.ofNullable(row.getMessage()), row.getOperation());
    }

    @Override
    public List<RevisionEntry> revisions(int limit) {
        requirePositive(limit);
        return revisions(HistoryQuery.newest(limit));
    }

    @Override
    public List<OperationEntry> operations(int limit) {
        requirePositive(limit);
        return operations(HistoryQuery.newest(limit));
    }

    @Override
    public QueryResult query(String sql, int maxRows) {
        java.util.Objects.requireNonNull(sql, "sql");
        requirePositive(maxRows);
        return store.logged("sql", null, () -> database.readOnly(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.setMaxRows(maxRows + 1);
                try (ResultSet rows = statement.executeQuery(sql)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
                    }
                    List<List<String>> result = new ArrayList<>();
                    boolean truncated = false;
                    while (rows.next()) {
                        if (result.size() == maxRows) {
                            truncated = true;
                            break;
                        }
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= columns.size(); i++) {
                            row.add(rows.getString(i));
                        }
                        result.add(row);
                    }
                    return new QueryResult(columns, result, truncated);
                }
            }
        }));
    }

    @Override
    public CompactionResult compactKeepingNewest(int revisions) {
        if (revisions < 1) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the number of revisions to keep must be at"
                    + " least 1, was " + revisions);
        }
        return Compactor.compact(store, database, (context, head) -> head - revisions + 1);
    }

    @Override
    public CompactionResult compactBefore(Instant instant) {
        java.util.Objects.requireNonNull(instant, "instant");
        return Compactor.compact(store, database, (context, head) -> {
            Long floor = context.select(DSL.max(CS_REVISION.REVISION)).from(CS_REVISION)
                    .where(CS_REVISION.COMMITTED_AT.le(StoreRows.utc(instant))).fetchSingle().value1();
            return floor == null ? 0 : floor;
        });
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

}
