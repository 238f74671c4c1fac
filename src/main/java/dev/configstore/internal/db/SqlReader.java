package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The database user that runs an operator's or analyst's SQL: it may only read, and its
 * connections are its own (never one the store writes with) and closed after each query, so
 * nothing a query does to its session outlives it.
 *
 * <p>On H2 it is a user without admin rights with SELECT on the store's schema; H2 refuses such
 * a user every file function, and its password lives in the store's credentials file. On
 * PostgreSQL it is a login role the store creates (or the operator names) with USAGE on the
 * store's schema and SELECT on its tables and views, minus the settings table; its sessions
 * start read-only with a statement timeout, and its password is kept in that settings table,
 * which only the store's own user can read. A reader that cannot log in (its password was
 * changed behind the store's back) is repaired with the store's user and tried again.
 */
abstract sealed class SqlReader permits H2Reader, PostgresReader {

    protected final DataSource admin;
    protected final String url;
    protected final String schema;
    protected volatile String user;
    protected volatile String password;

    /**
     * @param url the reader's JDBC URL, or {@code null} when the store has none (an application's
     *     data source)
     * @param user the reader on H2, or the operator-named role on PostgreSQL; {@code null} for a
     *     role the store creates
     */
    SqlReader(DataSource admin, String url, String schema, String user, String password) {
        this.admin = admin;
        this.url = url;
        this.schema = schema;
        this.user = user;
        this.password = password;
    }

    /** Makes the reader exist with its rights, writing nothing when it already does (at open). */
    abstract void ensure() throws SQLException;

    /** Finds or creates the reader before its first login, where the store makes it on demand. */
    void beforeLogin() throws SQLException {
    }

    /** Whether a failed login may be mended by setting the reader up again. */
    abstract boolean repairable();

    /** Logs the reader in. */
    abstract Connection open(Duration timeout) throws SQLException;

    /** Sets the reader up again: exists, may log in with the password known here, may only read. */
    abstract void repair() throws SQLException;

    /** Makes a new connection's transaction read-only on the server too, where the driver does not. */
    void startReadOnly(Connection connection) throws SQLException {
    }

    /**
     * A new read-only connection of the reader, in a read-only transaction; the caller closes
     * it. Returns whether a repair was needed through {@code repaired} (may be null).
     */
    Connection connect(Duration timeout, boolean[] repaired) throws SQLException {
        if (url == null) {
            throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "read-only SQL needs a store opened by"
                    + " directory or URL; a store on an application's data source has no separate reader");
        }
        beforeLogin();
        Connection connection;
        try {
            connection = open(timeout);
        } catch (SQLException e) {
            if (!isLoginFailure(e) || !repairable()) {
                throw e;
            }
            repair();
            if (repaired != null) {
                repaired[0] = true;
            }
            connection = open(timeout);
        }
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            startReadOnly(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static boolean isLoginFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e.getErrorCode() == org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD || state.equals("28P01")
                || state.equals("28000");
    }

    static void commit(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** The reader's name, for messages; {@code null} before a PostgreSQL role was set up. */
    String user() {
        return user == null ? null : user.toLowerCase(Locale.ROOT);
    }

    static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
