package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Reads an existing H2 store file read-only before this process opens it for writing, and
 * refuses a file that is not the store it should be: unreadable, without the store's schema, or
 * older than the head the store had when it was last closed. (Rows changed inside a readable
 * file are the checksums' business: the store opens and refuses to serve those documents.) H2 opens a damaged file by falling back to an older chunk, or to an empty database,
 * and a read-write open then trims or rewrites the file; read-only, nothing is written, so a
 * refused file stays byte for byte as it was.
 *
 * <p>The check runs only where this process may become the file's host. When another process
 * hosts the file (its auto-server answers), that process checked the file when it opened it.
 * A lock file whose server does not answer is stale (its process died) or belongs to a process
 * that is still starting: the file is read without the lock then, and a failed check is tried
 * again while the lock file changes.
 */
final class H2OpenCheck {

    private static final int ATTEMPTS = 30;
    private static final long RETRY_MILLIS = 150;
    private static final long STALE_LOCK_MILLIS = 3_000;
    private static final long MIN_FILE_BYTES = 8192;

    private H2OpenCheck() {
    }

    /**
     * Checks the store file of {@code directory}.
     *
     * @param marker the marker, or {@code null} for a store created before markers existed
     */
    static void check(Path directory, H2Files.Credentials credentials, H2Files.Marker marker) {
        ReadOnlyFilePath.register();
        synchronized (ReadOnlyFilePath.class) {
            try {
                checkOnce(directory, credentials, marker);
            } finally {
                ReadOnlyFilePath.closeLeftovers();
            }
        }
    }

    private static void checkOnce(Path directory, H2Files.Credentials credentials, H2Files.Marker marker) {
        Path database = directory.resolve(H2Files.DATABASE_FILE);
        Path lock = directory.resolve(H2Files.LOCK_FILE);
        String base = "jdbc:h2:" + ReadOnlyFilePath.SCHEME + ":" + directory.resolve(H2Files.DATABASE_NAME)
                + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE;TRACE_LEVEL_FILE=0";
        ConfigStoreException lastFailure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String lockText = readLock(lock);
            if (lockText == null) {
                H2CrashRecovery.recoverIfUnclean(directory.resolve(H2Files.DATABASE_NAME).toString());
                try {
                    read(base, credentials, database, marker);
                    return;
                } catch (InUse raced) {
                    pause(); // a process took the lock meanwhile: look at it again
                    continue;
                }
            }
            if (hostAnswers(lockText)) {
                return;
            }
            H2CrashRecovery.recoverIfUnclean(directory.resolve(H2Files.DATABASE_NAME).toString());
            try {
                ReadOnlyFilePath.hideLockFiles(true);
                read(base + ";FILE_LOCK=NO", credentials, database, marker);
                return;
            } catch (InUse cannotHappen) {
                pause();
            } catch (ConfigStoreException failure) {
                if (failure.code() != ErrorCode.STORE_DAMAGED || !startingHostMayHold(lock, lockText)) {
                    throw failure;
                }
                // a process that is still starting may be writing the file read without its lock
                lastFailure = failure;
                pause();
            } finally {
                ReadOnlyFilePath.hideLockFiles(false);
            }
        }
        throw lastFailure != null ? lastFailure : new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE,
                "store file " + database + " is being opened by another process; try again");
    }

    /**
     * Whether the lock may belong to a process that is opening the file right now: it changed
     * since it was read, or it is younger than H2's own staleness rule (two seconds untouched)
     * plus a margin.
     */
    private static boolean startingHostMayHold(Path lock, String lockText) {
        String now = readLock(lock);
        if (now == null || !now.equals(lockText) || hostAnswers(now)) {
            return true;
        }
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis();
            return age < STALE_LOCK_MILLIS;
        } catch (IOException e) {
            return true; // it vanished meanwhile: its holder closed
        }
    }

    private static void read(String url, H2Files.Credentials credentials, Path database, H2Files.Marker marker)
            throws InUse {
        long size;
        try {
            size = Files.size(database);
        } catch (IOException e) {
            throw damaged(database, "it cannot be read (" + e + ")", e);
        }
        if (size < MIN_FILE_BYTES) {
            // H2 writes two 4 KiB header blocks before anything else
            throw damaged(database, "it is " + size + " bytes long, shorter than any store file (truncated)");
        }
        try (Connection connection = DriverManager.getConnection(url, credentials.user(), credentials.password())) {
            int version = SchemaMigrator.appliedVersion(connection, null);
            if (version == 0) {
                throw damaged(database, "it holds no configstore schema (an empty or a foreign database)");
            }
            if (version > SchemaMigrator.LATEST_VERSION) {
                return; // the normal open refuses it as too new, with the versions
            }
            String missing = missingTable(connection, version);
            if (missing != null) {
                throw damaged(database, "its table " + missing + " is missing");
            }
            long head;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT MAX(revision) FROM cs_revision")) {
                row.next();
                head = row.getLong(1);
            }
            String hidden = hiddenDocuments(connection);
            if (hidden != null) {
                throw damaged(database, "the index the store finds documents by misses " + hidden
                        + ", which the table holds");
            }
            if (marker != null && head < marker.revision()) {
                throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, "store file " + database + " is damaged or"
                        + " was replaced by an older copy: it holds revision " + head + " but the store had reached"
                        + " revision " + marker.revision() + " when it was last closed; it was left as it was."
                        + " Restore the file from a copy or an archive; if you put an older copy there on purpose,"
                        + " delete the revision line of " + H2Files.MARKER);
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new InUse();
            }
            if (e.getErrorCode() == org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD) {
                throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, "the credentials in "
                        + database.resolveSibling(H2Files.CREDENTIALS) + " do not open " + database
                        + " (wrong user or password): the file belongs to another store or the credentials file was"
                        + " replaced; nothing was changed. Restore the matching " + H2Files.CREDENTIALS
                        + " from a copy of the store directory", e);
            }
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_IS_READ_ONLY) {
                throw damaged(database, "H2 could open it only by repairing it (it wanted to write while reading)", e);
            }
            throw damaged(database, SqlErrors.firstLine(e.getMessage()), e);
        } catch (ConfigStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // H2 reports some damage (a chunk that cannot be read) as an unchecked exception
            throw damaged(database, e.toString(), e);
        }
    }

    /** The tables each schema version has; a file without one of them is not the store it was. */
    private static final String[][] TABLES_BY_VERSION = {
        {},
        {"CS_REVISION", "CS_DOCUMENT_VERSION", "CS_ENTRY", "CS_OPERATION"},
        {"CS_RESTORE_POINT", "CS_COMPACTION", "CS_MAINTENANCE_LOCK"},
        {"CS_LEASE"},
        {"CS_SETTING"},
    };

    private static String missingTable(Connection connection, int version) throws SQLException {
        java.util.Set<String> present = new java.util.HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT UPPER(TABLE_NAME) FROM INFORMATION_SCHEMA.TABLES"
                     + " WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            while (rows.next()) {
                present.add(rows.getString(1));
            }
        }
        for (int v = 1; v <= Math.min(version, TABLES_BY_VERSION.length - 1); v++) {
            for (String table : TABLES_BY_VERSION[v]) {
                if (!present.contains(table)) {
                    return table.toLowerCase(java.util.Locale.ROOT);
                }
                // a table whose pages cannot be read fails here, before anything writes to the file
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    row.next();
                }
            }
        }
        return null;
    }

    /**
     * Every version row's document, read from the table's rows, not through an index. H2 answers a
     * {@code DISTINCT} (or a {@code GROUP BY}) from the primary key index even under
     * {@code USE INDEX ()}, which would compare that index with itself: the rows are read one by
     * one instead (about 0.2 s per 100,000 versions, on opens that run this check).
     */
    static final String SCAN_DOCUMENTS = "SELECT document FROM cs_document_version USE INDEX ()";

    /**
     * The documents a table scan of {@code cs_document_version} finds that a walk along its
     * primary key (how the head is loaded) does not, or null. A damaged index page would
     * otherwise hide a whole document: no checksum fails for rows that are never read.
     */
    private static String hiddenDocuments(Connection connection) throws SQLException {
        java.util.Set<String> scanned = new java.util.TreeSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(SCAN_DOCUMENTS)) {
            while (rows.next()) {
                scanned.add(rows.getString(1));
            }
        }
        // the statement the head load walks with (RowSql.nextVersionedDocument on H2)
        try (PreparedStatement next = connection.prepareStatement("SELECT document FROM cs_document_version"
                + " WHERE document >= ? ORDER BY document LIMIT 1")) {
            String current = "";
            while (current != null) {
                next.setString(1, current + '\u0000');
                try (ResultSet row = next.executeQuery()) {
                    current = row.next() ? row.getString(1) : null;
                }
                if (current != null) {
                    scanned.remove(current);
                }
            }
        }
        return scanned.isEmpty() ? null : String.join(", ", scanned);
    }

    private static ConfigStoreException damaged(Path database, String why) {
        return damaged(database, why, null);
    }

    private static ConfigStoreException damaged(Path database, String why, Throwable cause) {
        return new ConfigStoreException(ErrorCode.STORE_DAMAGED, "store file " + database + " is damaged: "
                + why.replace('\n', ' ') + "; it was left as it was. Restore the store from an archive or a copy of"
                + " its directory (configstore import ARCHIVE --store NEW_DIRECTORY)", cause);
    }

    /** The lock file's text, or {@code null} if there is none. */
    private static String readLock(Path lock) {
        try {
            return Files.readString(lock, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return ""; // there, but unreadable: treat it as a lock whose host cannot be asked
        }
    }

    /** Whether the auto-server named in the lock file accepts a connection. */
    private static boolean hostAnswers(String lockText) {
        Properties properties = new Properties();
        try (Reader in = new java.io.StringReader(lockText)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        String server = properties.getProperty("server");
        int colon = server == null ? -1 : server.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.substring(0, colon),
                    Integer.parseInt(server.substring(colon + 1))), 1000);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "interrupted while opening the store", e);
        }
    }

    /** The file is locked by a process that started meanwhile. */
    private static final class InUse extends Exception {
        private static final long serialVersionUID = 1L;

        InUse() {
            super(null, null, false, false);
        }
    }
}
