package dev.configstore.internal;

import static dev.configstore.internal.jooq.Tables.CS_COMPACTION;
import static dev.configstore.internal.jooq.Tables.CS_DOCUMENT_VERSION;
import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_MAINTENANCE_LOCK;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.internal.HeadCache.DocumentDelta;
import dev.configstore.internal.HeadCache.Leaf;
import dev.configstore.internal.WritePlan.DocumentWrite;
import dev.configstore.internal.WritePlan.LeafWrite;
import dev.configstore.internal.db.SqlErrors;
import dev.configstore.internal.db.TransientWriteException;
import dev.configstore.internal.jooq.tables.records.CsDocumentVersionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The SQL of the versioned rows. An entry row holds one leaf over the revisions
 * [valid_from, valid_to); the live row has valid_to = {@link #LIVE}. A write closes the rows it
 * supersedes by primary key and inserts the new ones, so its cost follows the change.
 */
final class StoreRows {

    static final long LIVE = Long.MAX_VALUE;

    private StoreRows() {
    }

    /**
     * Takes the next revision number by inserting its row. The primary key is the lock: a
     * concurrent writer that computed the same number blocks on the key until this transaction
     * ends and then fails with a duplicate key, which is retried as a transient error. So
     * revisions commit in order and without gaps, and readers that catch up with "revision >
     * last seen" never miss one. (A one-row counter updated in place was tried first; on H2 a
     * rolled-back writer was seen to undo a committed increment.)
     */
    static long nextRevision(DSLContext context, Instant committedAt, String actor, String message, String operation) {
        WriteSql sql = WriteSql.of(context);
        return jdbc(context, connection -> {
            long next = head(connection, sql) + 1;
            try (PreparedStatement insert = connection.prepareStatement(sql.insertRevision)) {
                insert.setLong(1, next);
                insert.setObject(2, utc(committedAt));
                insert.setString(3, actor);
                insert.setString(4, message);
                insert.setString(5, operation);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (isDuplicateKey(e)) {
                    throw new TransientWriteException("revision " + next + " was taken by a concurrent writer", e);
                }
                throw e;
            }
            return next;
        });
    }

    /** The newest committed revision, 0 for an empty store. */
    static long head(DSLContext context) {
        WriteSql sql = WriteSql.of(context);
        return jdbc(context, connection -> head(connection, sql));
    }

    private static long head(Connection connection, WriteSql sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql.head); ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1); // MAX of no rows is NULL, which reads as 0
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == org.h2.api.ErrorCode.DUPLICATE_KEY_1;
    }

    /** The history floor: revisions below it were compacted unless a restore point pins them. */
    static long historyFloor(DSLContext context) {
        Long floor = context.select(DSL.max(CS_COMPACTION.FLOOR_REVISION)).from(CS_COMPACTION).fetchSingle().value1();
        return floor == null ? 0 : floor;
    }

    /**
     * Takes the maintenance lock until the transaction ends: compaction and the creation of
     * restore points hold it, so neither works from a state the other is changing.
     */
    static void lockMaintenance(DSLContext context) {
        context.selectFrom(CS_MAINTENANCE_LOCK).where(CS_MAINTENANCE_LOCK.ID.eq(1)).forUpdate().fetch();
    }

    static boolean isPinned(DSLContext context, long revision) {
        return context.fetchExists(CS_RESTORE_POINT, CS_RESTORE_POINT.REVISION.eq(revision));
    }

    /**
     * Writes a revision's rows: closes the superseded entry rows, inserts the new ones and one
     * version row per document, each kind as one JDBC batch of a prepared statement.
     */
    static void writeDocuments(DSLContext context, long revision, List<DocumentWrite> writes) {
        WriteSql sql = WriteSql.of(context);
        jdbc(context, connection -> {
            try (PreparedStatement close = connection.prepareStatement(sql.closeEntry)) {
                int rows = 0;
                for (DocumentWrite write : writes) {
                    for (LeafWrite leaf : write.leaves()) {
                        if (leaf.oldLeaf() != null) {
                            close.setLong(1, revision);
                            close.setString(2, write.document());
                            close.setString(3, leaf.path());
                            close.setLong(4, leaf.oldLeaf().since());
                            close.addBatch();
                            rows++;
                        }
                    }
                }
                if (rows > 0) {
                    close.executeBatch();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(sql.insertEntry)) {
                int rows = 0;
                for (DocumentWrite write : writes) {
                    for (LeafWrite leaf : write.leaves()) {
                        if (leaf.newValue() != null) {
                            insert.setString(1, write.document());
                            insert.setString(2, leaf.path());
                            insert.setLong(3, revision);
                            insert.setLong(4, LIVE);
                            insert.setString(5, leaf.newJson());
                            insert.addBatch();
                            rows++;
                        }
                    }
                }
                if (rows > 0) {
                    insert.executeBatch();
                }
            }
            try (PreparedStatement version = connection.prepareStatement(sql.insertVersion)) {
                for (DocumentWrite write : writes) {
                    DocumentMeta meta = write.meta();
                    version.setString(1, write.document());
                    version.setLong(2, revision);
                    version.setBoolean(3, !write.exists());
                    version.setInt(4, write.keyCount());
                    version.setString(5, write.checksum());
                    version.setString(6, meta.parent());
                    version.setString(7, meta.description().isEmpty() ? null : meta.description());
                    version.setString(8, meta.tagsJson());
                    version.addBatch();
                }
                version.executeBatch();
            }
            return null;
        });
    }

    static void insertOperation(DSLContext context, String operation, String document, Long revision, String actor,
                                Instant startedAt, long durationMicros, String outcome, String error) {
        WriteSql sql = WriteSql.of(context);
        jdbc(context, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(sql.insertOperation)) {
                insert.setString(1, operation);
                insert.setString(2, document);
                insert.setObject(3, revision, Types.BIGINT);
                insert.setString(4, actor);
                insert.setObject(5, utc(startedAt));
                insert.setLong(6, durationMicros);
                insert.setString(7, outcome);
                insert.setString(8, error == null ? null : truncate(error, 2000));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Work on the JDBC connection of a jOOQ context. */
    private interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs JDBC work on the context's connection. An SQLException travels inside a jOOQ
     * DataAccessException, as it would from a jOOQ query, so the retry and translation rules
     * apply to both alike; the store's own exceptions pass unchanged.
     */
    private static <T> T jdbc(DSLContext context, JdbcWork<T> work) {
        return context.connectionResult(connection -> {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new DataAccessException(SqlErrors.firstLine(e.getMessage()), e);
            }
        });
    }

    /**
     * The SQL of the statements every write runs, rendered once per dialect by jOOQ from the
     * generated tables and run as JDBC prepared statements: rendering and binding through jOOQ
     * on each save cost about a fifth of a one-key save. The order of the placeholders is the
     * order of the columns listed here.
     */
    private record WriteSql(String head, String insertRevision, String closeEntry, String insertEntry,
                            String insertVersion, String insertOperation) {

        private static final Map<SQLDialect, WriteSql> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

        static WriteSql of(DSLContext context) {
            return RENDERED.computeIfAbsent(context.dialect(), dialect -> render(context));
        }

        private static WriteSql render(DSLContext context) {
            return new WriteSql(
                    context.render(DSL.select(DSL.max(CS_REVISION.REVISION)).from(CS_REVISION)),
                    context.render(context.insertInto(CS_REVISION, CS_REVISION.REVISION, CS_REVISION.COMMITTED_AT,
                                    CS_REVISION.ACTOR, CS_REVISION.MESSAGE, CS_REVISION.OPERATION)
                            .values((Long) null, null, null, null, null)),
                    context.render(context.update(CS_ENTRY).set(CS_ENTRY.VALID_TO, (Long) null)
                            .where(CS_ENTRY.DOCUMENT.eq((String) null)).and(CS_ENTRY.KEY_PATH.eq((String) null))
                            .and(CS_ENTRY.VALID_FROM.eq((Long) null))),
                    context.render(context.insertInto(CS_ENTRY, CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH,
                                    CS_ENTRY.VALID_FROM, CS_ENTRY.VALID_TO, CS_ENTRY.VALUE_JSON)
                            .values((String) null, null, null, null, null)),
                    context.render(context.insertInto(CS_DOCUMENT_VERSION, CS_DOCUMENT_VERSION.DOCUMENT,
                                    CS_DOCUMENT_VERSION.REVISION, CS_DOCUMENT_VERSION.DELETED,
                                    CS_DOCUMENT_VERSION.KEY_COUNT, CS_DOCUMENT_VERSION.CHECKSUM,
                                    CS_DOCUMENT_VERSION.PARENT, CS_DOCUMENT_VERSION.DESCRIPTION,
                                    CS_DOCUMENT_VERSION.TAGS)
                            .values((String) null, null, null, null, null, null, null, null)),
                    context.render(context.insertInto(CS_OPERATION, CS_OPERATION.OPERATION, CS_OPERATION.DOCUMENT,
                                    CS_OPERATION.REVISION, CS_OPERATION.ACTOR, CS_OPERATION.STARTED_AT,
                                    CS_OPERATION.DURATION_US, CS_OPERATION.OUTCOME, CS_OPERATION.ERROR)
                            .values((String) null, null, null, null, null, null, null, null)));
        }
    }

    /** Every document exactly as it was at {@code revision}, as deltas onto an empty cache. */
    static List<DocumentDelta> stateAt(DSLContext context, long revision) {
        Map<String, CsDocumentVersionRecord> versions = latestVersions(context, revision, null);
        long keys = versions.values().stream().mapToLong(CsDocumentVersionRecord::getKeyCount).sum();
        Map<String, Map<String, Leaf>> leaves = new HashMap<>();
        for (EntryReads.Row row : EntryReads.liveAt(context, null, revision, EntryReads.Extent.of(context, keys))) {
            leaves.computeIfAbsent(row.document(), name -> new LinkedHashMap<>())
                    .put(row.path(), leaf(row.json(), row.validFrom(), row.document(), row.path()));
        }
        List<DocumentDelta> deltas = new ArrayList<>();
        for (CsDocumentVersionRecord version : versions.values()) {
            deltas.add(new DocumentDelta(version.getDocument(), !version.getDeleted(), version.getRevision(),
                    version.getChecksum(), meta(version), List.of(),
                    leaves.getOrDefault(version.getDocument(), Map.of())));
        }
        return deltas;
    }

    /**
     * What the revisions in (from, to] did, as deltas onto a cache that is exact at {@code from}
     * and holds about {@code keys} keys.
     */
    static List<DocumentDelta> changesBetween(DSLContext context, long from, long to, long keys) {
        EntryReads.Extent extent = EntryReads.Extent.of(context, keys);
        Map<String, List<String>> removed = new HashMap<>();
        for (EntryReads.Row row : EntryReads.rows(context, null, -1, from, to, extent)) {
            removed.computeIfAbsent(row.document(), name -> new ArrayList<>()).add(row.path());
        }
        Map<String, Map<String, Leaf>> added = new HashMap<>();
        for (EntryReads.Row row : EntryReads.rows(context, null, from, to, LIVE, extent)) {
            added.computeIfAbsent(row.document(), name -> new LinkedHashMap<>())
                    .put(row.path(), leaf(row.json(), row.validFrom(), row.document(), row.path()));
        }
        Map<String, CsDocumentVersionRecord> versions = new HashMap<>();
        context.selectFrom(CS_DOCUMENT_VERSION)
                .where(CS_DOCUMENT_VERSION.REVISION.gt(from)).and(CS_DOCUMENT_VERSION.REVISION.le(to))
                .orderBy(CS_DOCUMENT_VERSION.REVISION)
                .fetch()
                .forEach(version -> versions.put(version.getDocument(), version));
        List<DocumentDelta> deltas = new ArrayList<>();
        for (CsDocumentVersionRecord version : versions.values()) {
            String document = version.getDocument();
            deltas.add(new DocumentDelta(document, !version.getDeleted(), version.getRevision(), version.getChecksum(),
                    meta(version), removed.getOrDefault(document, List.of()), added.getOrDefault(document, Map.of())));
        }
        return deltas;
    }

    /**
     * The latest version row at or before {@code revision} of every document (or one): for each
     * document the newest row up to the revision, read backwards along the primary key
     * (document, revision); the documents are found by stepping along that key. The cost
     * follows the number of documents, not their histories.
     */
    static Map<String, CsDocumentVersionRecord> latestVersions(DSLContext context, long revision, String document) {
        Map<String, CsDocumentVersionRecord> versions = new TreeMap<>();
        String current = document != null ? document : nextVersionedDocument(context, "");
        while (current != null) {
            // every column of the key descending, or H2 sorts the document's rows instead of
            // reading the index backwards
            CsDocumentVersionRecord version = context.selectFrom(CS_DOCUMENT_VERSION)
                    .where(CS_DOCUMENT_VERSION.DOCUMENT.eq(current)).and(CS_DOCUMENT_VERSION.REVISION.le(revision))
                    .orderBy(CS_DOCUMENT_VERSION.DOCUMENT.desc(), CS_DOCUMENT_VERSION.REVISION.desc())
                    .limit(1).fetchOne();
            if (version != null) {
                versions.put(current, version);
            }
            current = document != null ? null : nextVersionedDocument(context, current);
        }
        return versions;
    }

    /** The next document after {@code after} that has version rows; see {@link EntryReads} for the H2 form. */
    private static String nextVersionedDocument(DSLContext context, String after) {
        Condition next = context.dialect() == SQLDialect.H2 ? CS_DOCUMENT_VERSION.DOCUMENT.ge(successor(after))
                : CS_DOCUMENT_VERSION.DOCUMENT.gt(after);
        return context.select(CS_DOCUMENT_VERSION.DOCUMENT).from(CS_DOCUMENT_VERSION).where(next)
                .orderBy(CS_DOCUMENT_VERSION.DOCUMENT).limit(1).fetchOne(CS_DOCUMENT_VERSION.DOCUMENT);
    }

    /**
     * The smallest string above {@code text} in H2's order (by UTF-16 code units): the text and
     * U+0000, which no key path or document name holds. For PostgreSQL, whose text cannot hold
     * U+0000, the queries ask {@code > text} instead.
     */
    static String successor(String text) {
        return text + '\u0000';
    }

    /** The metadata a version row holds. */
    static DocumentMeta meta(CsDocumentVersionRecord version) {
        return DocumentMeta.fromColumns(version.getParent(), version.getDescription(), version.getTags());
    }

    /** One document as it was at a revision, with its metadata, or null if it did not exist then. */
    static Inheritance.Source sourceAt(DSLContext context, String document, long revision) {
        CsDocumentVersionRecord version = latestVersions(context, revision, document).get(document);
        if (version == null || version.getDeleted()) {
            return null;
        }
        TreeMap<String, Leaf> leaves = new TreeMap<>();
        EntryReads.Extent extent = EntryReads.Extent.of(context, version.getKeyCount());
        for (EntryReads.Row row : EntryReads.liveAt(context, document, revision, extent)) {
            leaves.put(row.path(), leaf(row.json(), row.validFrom(), document, row.path()));
        }
        return new Inheritance.Source(document, version.getRevision(), meta(version), leaves);
    }

    /** The revision that last changed a document at or before {@code revision}. */
    static long lastChanged(DSLContext context, String document, long revision) {
        CsDocumentVersionRecord version = latestVersions(context, revision, document).get(document);
        return version == null ? 0 : version.getRevision();
    }

    private static Leaf leaf(String json, long since, String document, String path) {
        return new Leaf(Json.parse(json, "stored value of " + document + ":" + path), json, since);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
