package dev.configstore.internal.rows;

import dev.configstore.internal.document.RevisionDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jooq.DSLContext;

/**
 * The SQL of the hash chain: each revision row holds SHA-256 over the previous revision's chain
 * hash and the revision's own digest (and, with a key, an HMAC of that hash). The write path
 * links each new revision; verification and the one-time fill of older stores recompute the
 * digests from the rows, a batch of revisions at a time.
 */
public final class ChainRows {

    /** Revisions read per batch when recomputing. */
    private static final long BATCH = 1000;

    private static final String PREVIOUS = "SELECT chain_hash FROM cs_revision WHERE revision = ?";
    private static final String LINK = "UPDATE cs_revision SET chain_hash = ?, chain_mac = ? WHERE revision = ?";
    private static final String REVISIONS = "SELECT revision, committed_at, actor, message, operation, chain_hash,"
            + " chain_mac FROM cs_revision WHERE revision > ? AND revision <= ? ORDER BY revision";
    private static final String BEGAN = "SELECT document, key_path, valid_from, value_json FROM cs_entry"
            + " WHERE valid_from > ? AND valid_from <= ?";
    private static final String ENDED = "SELECT document, key_path, valid_to FROM cs_entry"
            + " WHERE valid_to > ? AND valid_to <= ?";
    private static final String ANCHOR = "SELECT floor_revision, floor_chain_hash FROM cs_compaction"
            + " ORDER BY floor_revision DESC, id DESC LIMIT 1";

    private ChainRows() {
    }

    /**
     * A revision as the rows hold it: its recomputed digest (null if the revision has no row)
     * and the hash and HMAC stored with it.
     */
    public record Stored(long revision, RevisionDigest digest, String chainHash, String chainMac) {
    }

    /** The floor the chain is checked from and the chain hash recorded for it ({@link RevisionDigest#GENESIS} at 0). */
    public record Anchor(long floor, String hash) {
    }

    /**
     * The chain hash of the revision before {@code revision}, the link a new revision's hash is
     * made from ({@link RevisionDigest#GENESIS} before the first). A store made before the chain,
     * written before its first open filled the chain in, has it filled in here.
     */
    public static String previousHash(DSLContext context, long revision) {
        long before = revision - 1;
        if (before <= 0) {
            return RevisionDigest.GENESIS;
        }
        String previous = hashOf(context, before);
        if (previous == null) {
            fillMissing(context);
            previous = Objects.requireNonNullElse(hashOf(context, before), RevisionDigest.GENESIS);
        }
        return previous;
    }

    /**
     * Gives every revision that has a chain hash but no HMAC its HMAC: when a keyring is made for
     * the store, and when an operator signs the history. What the rows hold then is what the
     * HMACs vouch for; never done on its own at an open, where a removed HMAC must stay missing.
     */
    public static void fillMacs(DSLContext context, UnaryOperator<String> mac) {
        RowSql.jdbc(context, connection -> {
            fillMacs(connection, mac);
            return null;
        });
    }

    private static void fillMacs(Connection connection, UnaryOperator<String> mac) throws SQLException {
        List<Object[]> missing = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT revision, chain_hash FROM cs_revision"
                + " WHERE chain_mac IS NULL AND chain_hash IS NOT NULL"); ResultSet row = select.executeQuery()) {
            while (row.next()) {
                missing.add(new Object[] {row.getLong(1), row.getString(2)});
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE cs_revision SET chain_mac = ?"
                + " WHERE revision = ?")) {
            for (Object[] row : missing) {
                update.setString(1, mac.apply((String) row[1]));
                update.setLong(2, (Long) row[0]);
                update.addBatch();
            }
            if (!missing.isEmpty()) {
                update.executeBatch();
            }
        }
    }

    /**
     * Refuses to make a new keyring for a store whose revisions a keyring already signed: its
     * keyring is missing here (a restored copy, another host), and a new one would leave its
     * secrets and HMACs under keys nobody has. Returns null so it can run as a read.
     */
    public static Void refuseNewKeyring(DSLContext context) {
        boolean signed = RowSql.jdbc(context, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM cs_revision"
                    + " WHERE chain_mac IS NOT NULL FETCH FIRST 1 ROWS ONLY"); ResultSet row = select.executeQuery()) {
                return row.next();
            }
        });
        if (signed) {
            throw new dev.configstore.ConfigStoreException(dev.configstore.ErrorCode.INVALID_INPUT, "this store's"
                    + " history was signed with a keyring that is not here; open it with that keyring (--keyring,"
                    + " CONFIGSTORE_KEYRING or the builder's keyring) instead of making a new one");
        }
        return null;
    }

    /** The HMAC stored for a revision, or null. */
    public static String macOf(DSLContext context, long revision) {
        return RowSql.jdbc(context, connection -> macOf(connection, revision));
    }

    private static String macOf(Connection connection, long revision) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT chain_mac FROM cs_revision WHERE revision = ?")) {
            select.setLong(1, revision);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** Whether the newest revision above the floor has no chain hash: a store made before the chain. */
    public static boolean missing(DSLContext context) {
        long head = StoreRows.head(context);
        long floor = anchor(context).floor();
        return head > floor && hashOf(context, head) == null || floor > 0 && hashOf(context, floor) == null;
    }

    /**
     * Gives every revision above the floor its chain hash if the newest one has none (a store
     * made before the chain existed). Concurrent fills compute the same values. Returns whether
     * it filled anything.
     */
    public static boolean fillMissing(DSLContext context) {
        if (!missing(context)) {
            return false;
        }
        Anchor anchor = anchor(context);
        if (anchor.floor() > 0) {
            fillAnchor(context, anchor.floor());
        }
        String[] previous = {anchor.hash()};
        forEach(context, anchor.floor(), StoreRows.head(context), stored -> {
            if (stored.digest() != null) {
                previous[0] = stored.digest().chain(previous[0]);
                fill(context, stored.revision(), previous[0]);
            }
        });
        return true;
    }

    /** The chain hash stored for a revision, or null if it has none or does not exist. */
    public static String hashOf(DSLContext context, long revision) {
        return RowSql.jdbc(context, connection -> previousOrNull(connection, revision));
    }

    private static String previousOrNull(Connection connection, long revision) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(PREVIOUS)) {
            select.setLong(1, revision);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static void update(Connection connection, long revision, String hash, String mac) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(LINK)) {
            update.setString(1, hash);
            update.setString(2, mac);
            update.setLong(3, revision);
            update.executeUpdate();
        }
    }

    /** Where the chain starts: the newest compaction's floor and the hash recorded for it. */
    public static Anchor anchor(DSLContext context) {
        return RowSql.jdbc(context, connection -> {
            try (PreparedStatement select = connection.prepareStatement(ANCHOR); ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return new Anchor(0, RevisionDigest.GENESIS);
                }
                String hash = row.getString(2);
                return new Anchor(row.getLong(1), hash == null ? RevisionDigest.GENESIS : hash);
            }
        });
    }

    /**
     * Gives a compaction floor made before the chain existed the starting hash
     * {@link RevisionDigest#GENESIS}, on its compaction row and its revision row.
     */
    public static void fillAnchor(DSLContext context, long floor) {
        RowSql.jdbc(context, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE cs_compaction SET floor_chain_hash = ?"
                    + " WHERE floor_revision = ? AND floor_chain_hash IS NULL")) {
                update.setString(1, RevisionDigest.GENESIS);
                update.setLong(2, floor);
                update.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE cs_revision SET chain_hash = ?"
                    + " WHERE revision = ? AND chain_hash IS NULL")) {
                update.setString(1, RevisionDigest.GENESIS);
                update.setLong(2, floor);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Stores a hash recomputed for a revision written before the chain existed; its HMAC stays as it is. */
    public static void fill(DSLContext context, long revision, String hash) {
        RowSql.jdbc(context, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE cs_revision SET chain_hash = ?"
                    + " WHERE revision = ? AND chain_hash IS NULL")) { // a stored hash is evidence: never replaced
                update.setString(1, hash);
                update.setLong(2, revision);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The revisions in (from, to] as their rows hold them, oldest first, a batch at a time. A
     * revision number without a row is given as a {@code Stored} with a null digest.
     */
    public static void forEach(DSLContext context, long from, long to, java.util.function.Consumer<Stored> each) {
        for (long start = from; start < to; start += BATCH) {
            long low = start;
            long high = Math.min(to, low + BATCH);
            List<Stored> batch = RowSql.jdbc(context, connection -> read(connection, low, high));
            batch.forEach(each);
        }
    }

    /** One row of a result. */
    private interface RowWork {
        void row(ResultSet row) throws SQLException;
    }

    /** Runs a query over the revisions in (low, high] and hands over each row. */
    private static void select(Connection connection, String sql, long low, long high, RowWork work)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, low);
            select.setLong(2, high);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    work.row(row);
                }
            }
        }
    }

    private static List<Stored> read(Connection connection, long low, long high) throws SQLException {
        TreeMap<Long, Stored> revisions = new TreeMap<>();
        select(connection, REVISIONS, low, high, row -> {
            long revision = row.getLong(1);
            RevisionDigest digest = new RevisionDigest(revision, row.getObject(2, OffsetDateTime.class).toInstant(),
                    row.getString(3), row.getString(4), row.getString(5));
            revisions.put(revision, new Stored(revision, digest, row.getString(6), row.getString(7)));
        });
        select(connection, RowSql.VERSIONS_BETWEEN, low, high, row -> {
            StoreRows.VersionRow version = StoreRows.versionRow(row);
            Stored stored = revisions.get(version.revision());
            if (stored != null) {
                stored.digest().version(version.document(), version.deleted(), version.keyCount(), version.checksum(),
                        version.meta());
            }
        });
        select(connection, BEGAN, low, high, row -> {
            Stored stored = revisions.get(row.getLong(3));
            if (stored != null) {
                stored.digest().began(row.getString(1), row.getString(2), row.getString(4));
            }
        });
        select(connection, ENDED, low, high, row -> {
            Stored stored = revisions.get(row.getLong(3));
            if (stored != null) {
                stored.digest().ended(row.getString(1), row.getString(2));
            }
        });
        List<Stored> all = new ArrayList<>();
        for (long revision = low + 1; revision <= high; revision++) {
            Stored stored = revisions.get(revision);
            all.add(stored != null ? stored : new Stored(revision, null, null, null));
        }
        return all;
    }
}
