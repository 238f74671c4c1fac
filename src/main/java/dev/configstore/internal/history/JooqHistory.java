package dev.configstore.internal.history;

import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.history.ChangeKind;
import dev.configstore.history.CompactionProgress;
import dev.configstore.history.CompactionResult;
import dev.configstore.history.Diff;
import dev.configstore.history.History;
import dev.configstore.history.HistoryEntry;
import dev.configstore.history.HistoryQuery;
import dev.configstore.history.KeyChange;
import dev.configstore.history.OperationEntry;
import dev.configstore.history.QueryResult;
import dev.configstore.history.RevisionEntry;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.jooq.tables.records.CsRevisionRecord;
import dev.configstore.internal.read.HeadReads;
import dev.configstore.internal.read.RevisionReads;
import dev.configstore.internal.rows.EntryReads;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.RevisionWriter;
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
import org.jooq.impl.DSL;

/** History read from the versioned rows with jOOQ. Thread-safe. */
public final class JooqHistory implements History {

    private final RevisionWriter writer;
    private final HeadReads head;
    private final StoreDatabase database;

    public JooqHistory(RevisionWriter writer, HeadReads head) {
        this.writer = writer;
        this.head = head;
        this.database = writer.database();
    }

    @Override
    public Diff diff(long fromRevision, long toRevision) {
        return diff(null, fromRevision, toRevision);
    }

    @Override
    public Diff diff(String document, long fromRevision, long toRevision) {
        String name = document == null ? null : DocumentNames.check(document);
        return database.readAtLeast(Math.max(fromRevision, toRevision), context -> {
            RevisionReads.checkRevision(context, fromRevision);
            RevisionReads.checkRevision(context, toRevision);
            long low = Math.min(fromRevision, toRevision);
            long high = Math.max(fromRevision, toRevision);
            // a key differs only if its row live at low ended by high, or its row live at high began after low
            EntryReads.Extent extent = EntryReads.Extent.of(context, head.keyCount(name));
            List<EntryReads.Row> rows = new ArrayList<>(EntryReads.rows(context, name, -1, low, high, extent));
            rows.addAll(EntryReads.rows(context, name, low, high, StoreRows.LIVE, extent));
            int lowSide = fromRevision == low ? 0 : 1;
            Map<String, Map<String, String[]>> values = new TreeMap<>();
            for (EntryReads.Row row : rows) {
                String[] pair = values.computeIfAbsent(row.document(), key -> new TreeMap<>())
                        .computeIfAbsent(row.path(), key -> new String[2]);
                pair[row.validFrom() <= low ? lowSide : 1 - lowSide] = row.json();
            }
            RevisionReads.checkRevision(context, fromRevision); // a compaction may have removed rows meanwhile
            RevisionReads.checkRevision(context, toRevision);
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
        Optional<JsonNode> oldValue = Optional.ofNullable(oldJson).map(json -> Json.parse(json, "value"));
        Optional<JsonNode> newValue = Optional.ofNullable(newJson).map(json -> Json.parse(json, "value"));
        if (oldValue.equals(newValue)) { // compared as stored: a secret changed shows, as its mask
            return null;
        }
        ChangeKind kind = oldJson == null ? ChangeKind.ADDED : newJson == null ? ChangeKind.REMOVED : ChangeKind.CHANGED;
        return new KeyChange(document, ConfigKey.parse(path), kind, oldValue.map(SecretBox::mask), newValue.map(
                SecretBox::mask));
    }

    @Override
    public List<HistoryEntry> ofKey(String document, String key, int limit) {
        requirePositive(limit);
        return ofKey(document, key, HistoryQuery.newest(limit));
    }

    /** One change of one key, at the revision that made it. */
    private record Event(long revision, KeyChange change) { }

    /**
     * The key's own rows are read newest first, a page at a time, backwards along the primary key
     * (document, key_path, valid_from), until {@code limit} changes pass the query's filters: the
     * cost follows the number of changes asked for, not the key's history. Keys below the key (a
     * subtree's history) are read whole.
     */
    @Override
    public List<HistoryEntry> ofKey(String document, String key, HistoryQuery query) {
        String name = DocumentNames.check(document);
        String path = KeyPaths.canonical(key);
        int limit = query.limit();
        return database.readAtLeast(writer.head().revision(), context -> {
            long floor = StoreRows.historyFloor(context);
            // a prefix match, not a range: PostgreSQL may sort text by a locale where '.' < '/' does not hold
            Map<String, List<EntryReads.Row>> below = new TreeMap<>();
            for (EntryReads.Row row : entryRows(context, CS_ENTRY.DOCUMENT.eq(name)
                    .and(CS_ENTRY.KEY_PATH.startsWith(KeyPaths.descendantsFrom(path))), false, Integer.MAX_VALUE)) {
                below.computeIfAbsent(row.path(), k -> new ArrayList<>()).add(row);
            }
            List<Event> belowEvents = new ArrayList<>();
            below.forEach((keyPath, rows) -> belowEvents.addAll(events(name, keyPath, rows, true)));
            List<EntryReads.Row> own = new ArrayList<>(); // newest first
            int page = Math.max(16, Math.min(limit, 1 << 16) + 1);
            while (true) {
                Condition keyRows = CS_ENTRY.DOCUMENT.eq(name).and(CS_ENTRY.KEY_PATH.eq(path));
                if (query.beforeRevision().isPresent()) { // a row from there on holds only later events
                    keyRows = keyRows.and(CS_ENTRY.VALID_FROM.lt(query.beforeRevision().getAsLong()));
                }
                if (!own.isEmpty()) {
                    keyRows = keyRows.and(CS_ENTRY.VALID_FROM.lt(own.get(own.size() - 1).validFrom()));
                }
                List<EntryReads.Row> more = entryRows(context, keyRows, true, page);
                own.addAll(more);
                boolean all = more.size() < page;
                // without the row before the oldest one read, the oldest one's own change is not known yet
                long known = all || own.isEmpty() ? Long.MIN_VALUE : own.get(own.size() - 1).validFrom();
                List<Event> events = new ArrayList<>(events(name, path, reversed(own), all));
                for (Event event : belowEvents) {
                    if (event.revision() > known) {
                        events.add(event);
                    }
                }
                events.removeIf(event -> event.revision() <= floor); // below the floor the old values may be gone
                List<HistoryEntry> entries = select(context, query, events);
                if (entries.size() >= limit || all) {
                    return entries;
                }
                page = (int) Math.min(1 << 20, page * 2L);
            }
        });
    }

    /** The newest {@code limit} events that pass the query's filters, newest first. */
    private List<HistoryEntry> select(DSLContext context, HistoryQuery query, List<Event> events) {
        events.sort(Comparator.comparingLong(Event::revision).reversed()
                .thenComparing(event -> event.change().key().toString()));
        int limit = query.limit();
        if (query.beforeRevision().isPresent()) {
            long before = query.beforeRevision().getAsLong();
            events.removeIf(event -> event.revision() >= before);
        }
        boolean filtered = query.since().isPresent() || query.until().isPresent() || query.actor().isPresent()
                || query.operation().isPresent();
        int end = Math.min(limit, events.size());
        while (end > 0 && end < events.size() && events.get(end).revision() == events.get(end - 1).revision()) {
            end++; // the rest of the last revision's changes
        }
        List<Event> candidates = filtered ? events : events.subList(0, end);
        Map<Long, RevisionEntry> revisions = revisionsById(context, candidates.stream().map(Event::revision)
                .distinct().toList());
        List<HistoryEntry> entries = new ArrayList<>();
        for (Event event : candidates) {
            RevisionEntry revision = revisions.get(event.revision());
            // a revision is never split between pages: the next page starts below the last one shown
            boolean room = entries.size() < limit
                    || entries.get(entries.size() - 1).revision().revision() == event.revision();
            if (revision != null && matches(query, revision) && room) {
                entries.add(new HistoryEntry(revision, event.change()));
            }
        }
        return entries;
    }

    /** Entry rows in primary-key order, or backwards (newest first for one key), at most {@code limit}. */
    private static List<EntryReads.Row> entryRows(DSLContext context, Condition where, boolean backwards, int limit) {
        var order = backwards
                ? List.of(CS_ENTRY.DOCUMENT.desc(), CS_ENTRY.KEY_PATH.desc(), CS_ENTRY.VALID_FROM.desc())
                : List.of(CS_ENTRY.DOCUMENT.asc(), CS_ENTRY.KEY_PATH.asc(), CS_ENTRY.VALID_FROM.asc());
        return context.select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALID_TO,
                        CS_ENTRY.VALUE_JSON)
                .from(CS_ENTRY).where(where).orderBy(order).limit(limit)
                .fetch(row -> new EntryReads.Row(row.value1(), row.value2(), row.value3(), row.value4(), row.value5()));
    }

    private static List<EntryReads.Row> reversed(List<EntryReads.Row> rows) {
        List<EntryReads.Row> copy = new ArrayList<>(rows);
        java.util.Collections.reverse(copy);
        return copy;
    }

    /**
     * The changes one key's rows (oldest first) record: a value set where a row begins, against
     * the row that ended there; a removal where a row ends and no row follows. Without
     * {@code fromFirst} the rows before the first one are unknown, so its own change is left out.
     */
    private static List<Event> events(String document, String keyPath, List<EntryReads.Row> rows, boolean fromFirst) {
        List<Event> events = new ArrayList<>();
        String previous = null;
        long previousEnd = -1;
        for (int i = 0; i < rows.size(); i++) {
            EntryReads.Row row = rows.get(i);
            if (i > 0 || fromFirst) {
                String before = previousEnd == row.validFrom() ? previous : null;
                if (previous != null && previousEnd != row.validFrom() && previousEnd != StoreRows.LIVE) {
                    events.add(new Event(previousEnd, change(document, keyPath, previous, null)));
                }
                KeyChange change = change(document, keyPath, before, row.json());
                if (change != null) {
                    events.add(new Event(row.validFrom(), change));
                }
            }
            previous = row.json();
            previousEnd = row.validTo();
        }
        if (previous != null && previousEnd != StoreRows.LIVE) {
            events.add(new Event(previousEnd, change(document, keyPath, previous, null)));
        }
        return events;
    }

    private static boolean matches(HistoryQuery query, RevisionEntry revision) {
        return query.since().map(since -> !revision.committedAt().isBefore(since)).orElse(true)
                && query.until().map(until -> !revision.committedAt().isAfter(until)).orElse(true)
                && query.actor().map(revision.actor()::equals).orElse(true)
                && query.operation().map(revision.operation()::equals).orElse(true);
    }

    @Override
    public List<RevisionEntry> revisions(HistoryQuery query) {
        Condition filtered = OperationLog.filter(query, CS_REVISION.COMMITTED_AT, CS_REVISION.ACTOR,
                CS_REVISION.OPERATION);
        Condition filter = query.beforeRevision().isPresent()
                ? filtered.and(CS_REVISION.REVISION.lt(query.beforeRevision().getAsLong())) : filtered;
        return database.readAtLeast(writer.head().revision(), context -> context.selectFrom(CS_REVISION).where(filter)
                .orderBy(CS_REVISION.REVISION.desc()).limit(query.limit()).fetch().map(JooqHistory::revision));
    }

    @Override
    public List<OperationEntry> operations(HistoryQuery query) {
        return database.readAtLeast(writer.head().revision(), context -> OperationLog.newest(context, query,
                query.limit()));
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
    public QueryResult query(String sql, int maxRows, java.time.Duration timeout) {
        java.util.Objects.requireNonNull(sql, "sql");
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (maxRows < 1 || maxRows > MAX_QUERY_ROWS) {
            throw new IllegalArgumentException("maxRows must be 1.." + MAX_QUERY_ROWS + ", was " + maxRows);
        }
        if (timeout.compareTo(java.time.Duration.ofSeconds(1)) < 0 || timeout.compareTo(java.time.Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("timeout must be 1s..1h, was " + timeout);
        }
        return writer.logged("sql", null, () -> {
            String statementText = database.checkQuery(sql);
            try {
                return database.readOnly(timeout, connection -> run(connection, statementText, maxRows, timeout));
            } catch (StackOverflowError tooDeep) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the query is nested too deeply for the"
                        + " database's parser; nothing ran");
            }
        });
    }

    private static java.sql.JDBCType jdbcType(int code) {
        try {
            return java.sql.JDBCType.valueOf(code);
        } catch (IllegalArgumentException e) {
            return java.sql.JDBCType.OTHER; // a vendor's own type code
        }
    }

    private static QueryResult run(java.sql.Connection connection, String sql, int maxRows, java.time.Duration timeout)
            throws java.sql.SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false); // JDBC {fn ...} escapes would rewrite the checked text
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            statement.setMaxRows(maxRows + 1);
            try (ResultSet rows = statement.executeQuery(sql)) {
                ResultSetMetaData meta = rows.getMetaData();
                List<String> columns = new ArrayList<>();
                List<java.sql.JDBCType> types = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
                    types.add(jdbcType(meta.getColumnType(i)));
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
                return new QueryResult(columns, types, result, truncated);
            }
        }
    }

    @Override
    public CompactionResult compactKeepingNewest(int revisions, CompactionProgress progress) {
        if (revisions < 1) {
            throw new IllegalArgumentException("the number of revisions to keep must be at least 1, was " + revisions);
        }
        return Compactor.compact(writer, (context, head) -> head - revisions + 1, progress);
    }

    @Override
    public CompactionResult compactBefore(Instant instant, CompactionProgress progress) {
        java.util.Objects.requireNonNull(instant, "instant");
        return Compactor.compact(writer, (context, head) -> {
            Long floor = context.select(DSL.max(CS_REVISION.REVISION)).from(CS_REVISION)
                    .where(CS_REVISION.COMMITTED_AT.le(StoreRows.utc(instant))).fetchSingle().value1();
            return floor == null ? 0 : floor;
        }, progress);
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

}
