package dev.configstore.internal.rows;

import dev.configstore.internal.db.RowDialect;
import static dev.configstore.internal.jooq.Tables.CS_MAINTENANCE_LOCK;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.internal.db.TransientWriteException;
import dev.configstore.internal.document.DocumentDelta;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentWrite;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.Leaf;
import dev.configstore.internal.document.LeafWrite;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * The SQL of the versioned rows. An entry row holds one leaf over the revisions
 * [valid_from, valid_to); the live row has valid_to = {@link #LIVE}. A write closes the rows it
 * supersedes by primary key and inserts the new ones, so its cost follows the change.
 */
public final class StoreRows {

    public static final long LIVE = RowSql.LIVE;

    private StoreRows() {
    }

    /**
     * Inserts a revision's row: the number (head + 1, which the writer read), what the chain and
     * the operation log keep of it. The primary key is the lock: a concurrent writer that took
     * the same number blocks on the key until that transaction ends and then fails with a
     * duplicate key, which is retried as a transient error. So revisions commit in order and
     * without gaps, and readers that catch up with "revision > last seen" never miss one. (A
     * one-row counter updated in place was tried first; on H2 a rolled-back writer was seen to
     * undo a committed increment.)
     */
    public static void insertRevision(DSLContext context, RevisionRow row) {
        RowSql.jdbc(context, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(RowSql.INSERT_REVISION)) {
                insert.setLong(1, row.revision());
                insert.setObject(2, utc(row.committedAt()));
                insert.setString(3, row.actor());
                insert.setString(4, row.message());
                insert.setString(5, row.operation());
                insert.setLong(6, row.writeId());
                insert.setString(7, row.chainHash());
                insert.setString(8, row.chainMac());
                insert.setString(9, row.operationDocument());
                insert.setObject(10, utc(row.startedAt()));
                insert.setLong(11, row.durationMicros());
                insert.executeUpdate();
            } catch (SQLException e) {
                if (isDuplicateKey(e)) {
                    throw new TransientWriteException("revision " + row.revision() + " was taken by a concurrent writer",
                            e);
                }
                throw e;
            }
            return null;
        });
    }

    /** Sets the operation duration a revision row keeps. */
    public static void setDuration(DSLContext context, long revision, long durationMicros) {
        RowSql.jdbc(context, connection -> {
            try (PreparedStatement update = connection.prepareStatement(RowSql.SET_DURATION)) {
                update.setLong(1, durationMicros);
                update.setLong(2, revision);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** A revision row as the writer inserts it. */
    public record RevisionRow(long revision, Instant committedAt, String actor, String message, String operation,
                              long writeId, String chainHash, String chainMac, String operationDocument,
                              Instant startedAt, long durationMicros) {
    }

    /** The revision a write with this id committed after {@code after}, or -1 if it did not commit. */
    public static long revisionOfWrite(DSLContext context, long writeId, long after) {
        return RowSql.jdbc(context, connection -> {
            try (PreparedStatement select = connection.prepareStatement(RowSql.REVISION_OF_WRITE)) {
                select.setLong(1, after);
                select.setLong(2, writeId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getLong(1) : -1L;
                }
            }
        });
    }

    /** How many keys a revision changed. */
    public static int keysOf(DSLContext context, long revision) {
        return RowSql.jdbc(context, connection -> {
            try (PreparedStatement select = connection.prepareStatement(RowSql.KEYS_OF_REVISION)) {
                select.setLong(1, revision);
                select.setLong(2, revision);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    /**
     * The newest committed revision and its chain hash (revision 0 and null for an empty store;
     * the hash is null too for a revision written before the chain and not filled in yet).
     */
    public static HeadLink headLink(DSLContext context) {
        return RowSql.jdbc(context, connection -> {
            try (PreparedStatement select = connection.prepareStatement(RowSql.HEAD_LINK);
                 ResultSet row = select.executeQuery()) {
                return row.next() ? new HeadLink(row.getLong(1), row.getString(2)) : new HeadLink(0, null);
            }
        });
    }

    /** The newest revision and its chain hash. */
    public record HeadLink(long revision, String chainHash) {
    }

    /** The newest committed revision, 0 for an empty store. */
    public static long head(DSLContext context) {
        return RowSql.head(context);
    }

    /** Whether a statement failed on a unique key another transaction holds (H2 or PostgreSQL). */
    static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == org.h2.api.ErrorCode.DUPLICATE_KEY_1;
    }

    /** The history floor: revisions below it were compacted unless a restore point pins them. */
    public static long historyFloor(DSLContext context) {
        return RowSql.historyFloor(context);
    }

    /**
     * Takes the maintenance lock until the transaction ends: compaction and the creation of
     * restore points hold it, so neither works from a state the other is changing.
     */
    public static void lockMaintenance(DSLContext context) {
        context.selectFrom(CS_MAINTENANCE_LOCK).where(CS_MAINTENANCE_LOCK.ID.eq(1)).forUpdate().fetch();
    }

    public static boolean isPinned(DSLContext context, long revision) {
        return RowSql.jdbc(context, connection -> {
            try (PreparedStatement select = connection.prepareStatement(RowSql.IS_PINNED)) {
                select.setLong(1, revision);
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    /**
     * Writes a revision's rows: closes the superseded entry rows, inserts the new ones and one
     * version row per document, each kind as one JDBC batch of a prepared statement.
     */
    public static void writeDocuments(DSLContext context, long revision, List<DocumentWrite> writes) {
        RowSql.jdbc(context, connection -> {
            try (PreparedStatement close = connection.prepareStatement(RowSql.CLOSE_ENTRY)) {
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
            try (PreparedStatement insert = connection.prepareStatement(RowSql.INSERT_ENTRY)) {
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
            try (PreparedStatement version = connection.prepareStatement(RowSql.INSERT_VERSION)) {
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
                    version.setString(9, meta.schema());
                    version.setString(10, meta.secretPatternsJson());
                    version.addBatch();
                }
                version.executeBatch();
            }
            return null;
        });
    }

    public static void insertOperation(DSLContext context, String operation, String document, String actor,
                                Instant startedAt, long durationMicros, String outcome, String error) {
        RowSql.jdbc(context, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(RowSql.INSERT_OPERATION)) {
                insert.setString(1, operation);
                insert.setString(2, document);
                insert.setString(3, actor);
                insert.setObject(4, utc(startedAt));
                insert.setLong(5, durationMicros);
                insert.setString(6, outcome);
                insert.setString(7, error == null ? null : truncate(error, 2000));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Every document exactly as it was at {@code revision}, as deltas onto an empty cache. */
    public static List<DocumentDelta> stateAt(DSLContext context, long revision) {
        Map<String, VersionRow> versions = latestVersions(context, revision, null);
        long keys = versions.values().stream().mapToLong(VersionRow::keyCount).sum();
        Map<String, Map<String, Leaf>> leaves = new HashMap<>();
        for (EntryReads.Row row : EntryReads.liveAt(context, null, revision, EntryReads.Extent.of(context, keys))) {
            leaves.computeIfAbsent(row.document(), name -> new LinkedHashMap<>())
                    .put(row.path(), leaf(row.json(), row.validFrom(), row.document(), row.path()));
        }
        List<DocumentDelta> deltas = new ArrayList<>();
        for (VersionRow version : versions.values()) {
            deltas.add(new DocumentDelta(version.document(), !version.deleted(), version.revision(),
                    version.checksum(), version.meta(), List.of(), leaves.getOrDefault(version.document(), Map.of())));
        }
        return deltas;
    }

    /**
     * What the revisions in (from, to] did, as deltas onto a cache that is exact at {@code from}
     * and holds about {@code keys} keys.
     */
    public static List<DocumentDelta> changesBetween(DSLContext context, long from, long to, long keys) {
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
        Map<String, VersionRow> versions = RowSql.jdbc(context, connection -> {
            Map<String, VersionRow> newest = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(RowSql.VERSIONS_BETWEEN)) {
                select.setLong(1, from);
                select.setLong(2, to);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        VersionRow version = versionRow(row);
                        newest.put(version.document(), version); // in revision order: the newest stays
                    }
                }
            }
            return newest;
        });
        List<DocumentDelta> deltas = new ArrayList<>();
        for (VersionRow version : versions.values()) {
            String document = version.document();
            deltas.add(new DocumentDelta(document, !version.deleted(), version.revision(), version.checksum(),
                    version.meta(), removed.getOrDefault(document, List.of()), added.getOrDefault(document, Map.of())));
        }
        return deltas;
    }

    /** A version row: a document's existence, key count, checksum and metadata at a revision. */
    public record VersionRow(String document, long revision, boolean deleted, int keyCount, String checksum,
                      DocumentMeta meta) {
    }

    /**
     * The latest version row at or before {@code revision} of every document (or one): for each
     * document the newest row up to the revision, read backwards along the primary key
     * (document, revision); the documents are found by stepping along that key. The cost
     * follows the number of documents, not their histories.
     */
    public static Map<String, VersionRow> latestVersions(DSLContext context, long revision, String document) {
        RowDialect dialect = RowDialect.of(context);
        return RowSql.jdbc(context, connection -> {
            Map<String, VersionRow> versions = new TreeMap<>();
            try (PreparedStatement latest = connection.prepareStatement(RowSql.LATEST_VERSION);
                 PreparedStatement next = connection.prepareStatement(RowSql.nextVersionedDocument(dialect))) {
                String current = document != null ? document : RowSql.nextDocument(next, dialect.afterValue(""));
                while (current != null) {
                    latest.setString(1, current);
                    latest.setLong(2, revision);
                    try (ResultSet row = latest.executeQuery()) {
                        if (row.next()) {
                            versions.put(current, versionRow(row));
                        }
                    }
                    current = document != null ? null : RowSql.nextDocument(next, dialect.afterValue(current));
                }
            }
            return versions;
        });
    }

    /** A version row from the columns of {@link RowSql#VERSION_COLUMNS}, in their order. */
    static VersionRow versionRow(ResultSet row) throws SQLException {
        return new VersionRow(row.getString(1), row.getLong(2), row.getBoolean(3), row.getInt(4), row.getString(5),
                DocumentMeta.fromColumns(row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                        row.getString(10)));
    }

    /** One document as it was at a revision, with its metadata, or null if it did not exist then. */
    public static Inheritance.Source sourceAt(DSLContext context, String document, long revision) {
        VersionRow version = latestVersions(context, revision, document).get(document);
        if (version == null || version.deleted()) {
            return null;
        }
        TreeMap<String, Leaf> leaves = new TreeMap<>();
        EntryReads.Extent extent = EntryReads.Extent.of(context, version.keyCount());
        java.math.BigInteger sum = java.math.BigInteger.ZERO;
        for (EntryReads.Row row : EntryReads.liveAt(context, document, revision, extent)) {
            leaves.put(row.path(), leaf(row.json(), row.validFrom(), document, row.path()));
            sum = Json.add(sum, Json.leafDigest(row.path(), row.json()));
        }
        // a past revision is read through indexes no check at open covers: compare what was read
        // with the checksum of that version, and refuse rather than serve something else
        if (leaves.size() != version.keyCount() || !Json.formatChecksum(sum).equals(version.checksum())) {
            throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, "document '" + document + "' as of revision "
                    + revision + " does not match its checksum (read " + leaves.size() + " keys, stored "
                    + version.keyCount() + "): the store's rows or indexes were changed or damaged; run verify,"
                    + " and restore the store from an archive or a copy of its directory");
        }
        return new Inheritance.Source(document, version.revision(), version.meta(), leaves);
    }

    /** The revision that last changed a document at or before {@code revision}. */
    static long lastChanged(DSLContext context, String document, long revision) {
        VersionRow version = latestVersions(context, revision, document).get(document);
        return version == null ? 0 : version.revision();
    }

    private static Leaf leaf(String json, long since, String document, String path) {
        try {
            return new Leaf(Json.parse(json, "stored value of " + document + ":" + path), json, since);
        } catch (ConfigStoreException unreadable) {
            // the store wrote canonical JSON there: text that does not parse was damaged since
            throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, unreadable.getMessage() + "; the store is"
                    + " damaged: run verify, and restore it from an archive or a copy of its directory", unreadable);
        }
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
