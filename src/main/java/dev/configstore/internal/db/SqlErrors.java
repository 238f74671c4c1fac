package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.sql.SQLException;
import org.jooq.exception.DataAccessException;

/** Turns SQL, jOOQ and pool exceptions into {@link ConfigStoreException}, keeping the cause. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /** Finds the SQLException inside a jOOQ or pool exception, if any. */
    static SQLException sqlCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /**
     * Whether retrying the whole transaction may succeed: lock timeouts, deadlocks,
     * serialization failures. Conflicts detected by the store are never transient.
     */
    static boolean isTransient(Throwable error) {
        if (error instanceof TransientWriteException) {
            return true;
        }
        SQLException sql = sqlCause(error);
        if (sql == null) {
            return false;
        }
        if (isConnectionLoss(sql)) {
            return true;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        int code = sql.getErrorCode();
        return state.equals("40001") || state.equals("40P01") || state.equals("55P03")
                || code == org.h2.api.ErrorCode.LOCK_TIMEOUT_1
                || code == org.h2.api.ErrorCode.DEADLOCK_1
                || code == org.h2.api.ErrorCode.CONCURRENT_UPDATE_1;
    }

    /**
     * Whether the server went away or cannot confirm a write yet: what a failover looks like
     * from here, worth retrying for the failover timeout.
     */
    static boolean isFailover(Throwable error) {
        return error instanceof PostgresCommits.MissingStandby || isFailoverState(sqlCause(error));
    }

    /**
     * Whether no server could take the call (a failover that outlasted the failover timeout, the
     * pool's wait for a connection): logging the failure in the store would only wait as long again.
     */
    public static boolean isUnreachable(Throwable error) {
        return isFailover(error) || sqlCause(error) instanceof java.sql.SQLTransientConnectionException;
    }

    private static boolean isFailoverState(SQLException sql) {
        return sql != null && (isConnectionLoss(sql) || "57P01".equals(sql.getSQLState())
                || "25006".equals(sql.getSQLState()) || "57014".equals(sql.getSQLState()));
    }

    /**
     * Whether the connection broke under the statement: the auto-server host died or closed, or
     * a network connection dropped. A new connection may succeed (this process may become the
     * host), so the transaction is worth running again; whether a commit in flight went through
     * is for the caller to find out. The pool's own "no connection within the timeout" is not:
     * it has already waited.
     */
    public static boolean isConnectionLoss(SQLException sql) {
        int code = sql.getErrorCode();
        if (code == org.h2.api.ErrorCode.CONNECTION_BROKEN_1 || code == org.h2.api.ErrorCode.DATABASE_IS_CLOSED
                || code == org.h2.api.ErrorCode.DATABASE_CALLED_AT_SHUTDOWN) {
            return true;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        boolean poolTimeout = sql instanceof java.sql.SQLTransientConnectionException && sql.getMessage() != null
                && sql.getMessage().contains("Connection is not available");
        return state.startsWith("08") && !poolTimeout;
    }

    /** A failure of user SQL run by the read-only user: the query's fault unless the user could not connect. */
    static ConfigStoreException userSql(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("57014") || e.getErrorCode() == org.h2.api.ErrorCode.STATEMENT_WAS_CANCELED) {
            return new ConfigStoreException(ErrorCode.INVALID_INPUT, "the query ran past its timeout and was"
                    + " cancelled; nothing was changed (give a longer timeout, or narrow the query)", e);
        }
        if (state.startsWith("08") || state.startsWith("28")) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "the read-only SQL user cannot connect: "
                    + SqlErrors.firstLine(e.getMessage()), e);
        }
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, "the query failed and changed nothing: "
                + SqlErrors.firstLine(e.getMessage()), e);
    }

    /** Translates a failure during {@code what} (e.g. "writing revision 12"). */
    public static ConfigStoreException translate(String what, Throwable error) {
        if (error instanceof ConfigStoreException known) {
            return known;
        }
        String disk = diskProblem(error);
        if (disk != null) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: " + disk
                    + "; nothing was written. Free space on that disk (the store works again without a restart)",
                    error);
        }
        if (isFileCorruption(error)) {
            return new ConfigStoreException(ErrorCode.STORE_DAMAGED, what + " failed: the store file is damaged ("
                    + firstLine(error.getMessage()) + "); restore the store from an archive or a copy of its"
                    + " directory", error);
        }
        String io = ioProblem(error);
        if (io != null) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: the store file could not be"
                    + " read or written (" + io + "); check the disk", error);
        }
        SQLException sql = sqlCause(error);
        if (sql == null) {
            if (error instanceof DataAccessException || error instanceof RuntimeException) {
                return new ConfigStoreException(ErrorCode.INTERNAL, what + " failed: " + error.getMessage(), error);
            }
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: " + error.getMessage(), error);
        }
        String message = firstLine(sql.getMessage());
        int code = sql.getErrorCode();
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (code == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: the database is open in"
                    + " another process without auto-server mode; open it through configstore or close the other"
                    + " process (" + message + ")", error);
        }
        if (code == org.h2.api.ErrorCode.FILE_CORRUPTED_1 || state.startsWith("42") || state.startsWith("22")) {
            // the store's own statements name only what its schema has and write only what it
            // checked: a missing table, column or index, or a value that does not convert, means
            // the schema or the rows were damaged (user SQL reports its errors elsewhere)
            return new ConfigStoreException(ErrorCode.STORE_DAMAGED, what + " failed: the store is damaged ("
                    + message + "); run verify, and restore the store from an archive or a copy of its directory",
                    error);
        }
        if (state.equals("28000") || state.equals("28P01") || code == org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: wrong user or password ("
                    + message + "); check the credentials given with the URL", error);
        }
        if (state.equals("3D000") || code == org.h2.api.ErrorCode.DATABASE_NOT_FOUND_1
                || code == org.h2.api.ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: the database does not"
                    + " exist (" + message + ")", error);
        }
        if (isConnectionLoss(sql) || state.startsWith("08")) {
            String host = unreachableHost(error);
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: cannot reach the database"
                    + (host != null ? ": " + host : "") + " (" + message + "); check that the server runs and that"
                    + " the host and port are right", error);
        }
        if (isTransient(error)) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: another writer held a lock"
                    + " too long; retry later (" + message + ")", error);
        }
        return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, what + " failed: " + message, error);
    }

    /** "the disk is full (path)" when a full disk is behind the failure, else {@code null}. */
    static String diskProblem(Throwable error) {
        return diskProblem(error, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    // H2's exceptions refer to each other as causes and suppressed ones: visit each once
    private static String diskProblem(Throwable error, java.util.Set<Throwable> seen) {
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("No space left on device")) {
                return "the disk is full (" + firstLine(message) + ")";
            }
            for (Throwable suppressed : t.getSuppressed()) {
                String inner = diskProblem(suppressed, seen);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /** Whether H2 found its file corrupt behind the failure (MVStore's "file corrupt" error). */
    static boolean isFileCorruption(Throwable error) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof org.h2.mvstore.MVStoreException store
                    && store.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_CORRUPT) {
                return true;
            }
        }
        return false;
    }

    /** The message of an I/O error of the disk behind the failure (not of a network), or {@code null}. */
    static String ioProblem(Throwable error) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof java.io.IOException && !(t instanceof java.net.SocketException)
                    && !(t instanceof java.net.UnknownHostException) && !(t instanceof java.io.EOFException)
                    && !(t instanceof java.net.SocketTimeoutException)) {
                return firstLine(t.getMessage());
            }
        }
        return null;
    }

    private static String unreachableHost(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof java.net.ConnectException) {
                return "connection refused (" + t.getMessage() + ")";
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return "the host did not answer in time";
            }
        }
        return null;
    }

    /** The first line of a possibly multi-line message. */
    public static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
