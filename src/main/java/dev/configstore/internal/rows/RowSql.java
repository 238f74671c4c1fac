package dev.configstore.internal.rows;

import dev.configstore.internal.db.RowDialect;
import dev.configstore.internal.db.SqlFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jooq.DSLContext;

/**
 * The SQL that every open, every write and every read by revision runs, written out rather than
 * built with jOOQ. These statements are fixed and plain (portable between H2 and PostgreSQL,
 * but for the H2 forms noted below) and run as JDBC prepared statements; building them with
 * jOOQ each time cost about a fifth of a one-key save, and a CLI command no longer renders them
 * at start-up (about 20 ms of 0.5 s, measured). Column names are those of
 * {@code db/migration}; the contract suites run every statement on both databases. The rest of
 * the store's SQL is jOOQ's. {@link #jdbc} runs such statements on a jOOQ context's connection.
 */
public final class RowSql {

    private RowSql() {
    }

    /** {@code valid_to} of a live entry row: open-ended. */
    public static final long LIVE = Long.MAX_VALUE;

    static final String HISTORY_FLOOR = "SELECT MAX(floor_revision) FROM cs_compaction";

    /** The newest committed revision, 0 for an empty store. */
    static long head(DSLContext context) {
        return jdbc(context, RowSql::head);
    }

    static long head(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(RowSql.HEAD); ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1); // MAX of no rows is NULL, which reads as 0
        }
    }

    /** The history floor: revisions below it were compacted unless a restore point pins them. */
    static long historyFloor(DSLContext context) {
        return jdbc(context, connection -> {
            try (PreparedStatement select = connection.prepareStatement(HISTORY_FLOOR);
                 ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1); // no compaction yet: NULL, which reads as 0
            }
        });
    }

    /** Work on the JDBC connection of a jOOQ context. */
    interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs JDBC work on the context's connection. An SQLException leaves as a {@link SqlFailure},
     * whose SQLException the retry and translation rules classify; the store's own exceptions
     * pass unchanged.
     */
    static <T> T jdbc(DSLContext context, JdbcWork<T> work) {
        return context.connectionResult(connection -> {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new SqlFailure(e);
            }
        });
    }

    /** The first column of the first row a one-parameter query finds for {@code after}, or null. */
    static String nextDocument(PreparedStatement next, String after) throws SQLException {
        next.setString(1, after);
        try (ResultSet row = next.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }

    static final String HEAD = "SELECT MAX(revision) FROM cs_revision";

    /** The newest revision and its chain hash, read backwards along the primary key. */
    static final String HEAD_LINK = "SELECT revision, chain_hash FROM cs_revision ORDER BY revision DESC"
            + " FETCH FIRST 1 ROW ONLY";

    /** Whether a restore point pins a revision (a read below the history floor asks). */
    static final String IS_PINNED = "SELECT 1 FROM cs_restore_point WHERE revision = ? LIMIT 1";

    /**
     * The next operation id: {@code cs_operation_seq} plus the highest id the log had when schema
     * version 6 began using the sequence (see that migration).
     */
    public static final String NEXT_OPERATION_ID = "NEXTVAL('cs_operation_seq') + (SELECT CAST(setting_value AS BIGINT)"
            + " FROM cs_setting WHERE setting_name = 'operation.id.offset')";

    /** A revision row with its hash chain link and the successful operation that wrote it. */
    static final String INSERT_REVISION = "INSERT INTO cs_revision (revision, committed_at, actor, message, operation,"
            + " write_number, chain_hash, chain_mac, operation_document, started_at, duration_us, operation_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + NEXT_OPERATION_ID + ")";

    /** The revision a write with this id committed, looked for only after the revision it started from. */
    static final String REVISION_OF_WRITE = "SELECT revision FROM cs_revision WHERE revision > ? AND write_number = ?";

    /** How many keys a revision changed: the rows it started or ended, by key. */
    static final String KEYS_OF_REVISION = "SELECT COUNT(DISTINCT key_path) FROM cs_entry"
            + " WHERE valid_from = ? OR valid_to = ?";

    static final String CLOSE_ENTRY = "UPDATE cs_entry SET valid_to = ?"
            + " WHERE document = ? AND key_path = ? AND valid_from = ?";

    static final String INSERT_ENTRY = "INSERT INTO cs_entry (document, key_path, valid_from, valid_to, value_json)"
            + " VALUES (?, ?, ?, ?, ?)";

    static final String INSERT_VERSION = "INSERT INTO cs_document_version"
            + " (document, revision, deleted, key_count, checksum, parent, description, tags, schema_sha256,"
            + " secret_patterns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String INSERT_OPERATION = "INSERT INTO cs_operation"
            + " (operation, document, actor, started_at, duration_us, outcome, error, id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, " + NEXT_OPERATION_ID + ")"; // with a revision it is in the revision row

    static final String SET_DURATION = "UPDATE cs_revision SET duration_us = ? WHERE revision = ?";

    static final String VERSION_COLUMNS = "document, revision, deleted, key_count, checksum, parent, description, tags,"
            + " schema_sha256, secret_patterns";

    /**
     * A document's newest version row up to a revision. Every column of the key is ordered
     * descending, or H2 sorts all of the document's rows instead of reading the index backwards.
     */
    static final String LATEST_VERSION = "SELECT " + VERSION_COLUMNS + " FROM cs_document_version"
            + " WHERE document = ? AND revision <= ? ORDER BY document DESC, revision DESC LIMIT 1";

    /** Every version row of the revisions in (from, to], oldest first. */
    static final String VERSIONS_BETWEEN = "SELECT " + VERSION_COLUMNS + " FROM cs_document_version"
            + " WHERE revision > ? AND revision <= ? ORDER BY revision";

    static final String ENTRY_COLUMNS = "key_path, valid_from, valid_to, value_json";

    /** A key's newest row that began at or before a revision, read backwards along the primary key. */
    static final String NEWEST_ENTRY_AT_OR_BEFORE = "SELECT " + ENTRY_COLUMNS + " FROM cs_entry"
            + " WHERE document = ? AND key_path = ? AND valid_from <= ?"
            + " ORDER BY document DESC, key_path DESC, valid_from DESC LIMIT 1";

    /** The first row of the first key of a document at or after a key. */
    static final String FIRST_ENTRY_FROM = "SELECT " + ENTRY_COLUMNS + " FROM cs_entry"
            + " WHERE document = ? AND key_path >= ? ORDER BY document, key_path, valid_from LIMIT 1";

    static String firstEntryAfter(RowDialect dialect) {
        return "SELECT " + ENTRY_COLUMNS + " FROM cs_entry WHERE document = ? AND key_path " + dialect.after()
                + " ORDER BY document, key_path, valid_from LIMIT 1";
    }

    static String nextEntryDocument(RowDialect dialect) {
        return "SELECT document FROM cs_entry WHERE document " + dialect.after() + " ORDER BY document LIMIT 1";
    }

    static String nextVersionedDocument(RowDialect dialect) {
        return "SELECT document FROM cs_document_version WHERE document " + dialect.after() + " ORDER BY document LIMIT 1";
    }

    /**
     * Entry rows live at a revision ({@code valid_from <= ? AND valid_to > ?}, bound in that
     * order, then the optional bounds in the order of the flags), along one of the two range
     * indexes, with the engine's hint where it needs one.
     */
    static String entryRange(RowDialect dialect, boolean byValidFrom, boolean after, boolean until,
                             boolean document) {
        StringBuilder sql = new StringBuilder("SELECT document, ").append(ENTRY_COLUMNS).append(" FROM cs_entry")
                .append(dialect.useIndex(byValidFrom ? "cs_entry_valid_from" : "cs_entry_valid_to"));
        sql.append(" WHERE valid_from <= ? AND valid_to > ?");
        if (after) {
            sql.append(" AND valid_from > ?");
        }
        if (until) {
            sql.append(" AND valid_to <= ?");
        }
        if (document) {
            sql.append(" AND document = ?");
        }
        return sql.toString();
    }
}
