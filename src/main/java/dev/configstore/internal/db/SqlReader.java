package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
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
final class SqlReader {

    private static final String ROLE_SETTING = "sql.reader.role";
    private static final String PASSWORD_SETTING = "sql.reader.password";

    private final StoreDatabase.Engine engine;
    private final DataSource admin;
    private final String url;
    private final String schema;
    private final boolean operatorNamed;
    private final boolean passwordInFile;
    private volatile String user;
    private volatile String password;

    /**
     * @param url the reader's JDBC URL, or {@code null} when the store has none (an application's
     *     data source)
     * @param user the reader on H2, or the operator-named role on PostgreSQL; {@code null} for a
     *     role the store creates
     * @param passwordInFile whether the password is the credentials file's (never changed here)
     */
    SqlReader(StoreDatabase.Engine engine, DataSource admin, String url, String schema, String user, String password,
              boolean passwordInFile) {
        this.engine = engine;
        this.admin = admin;
        this.url = url;
        this.schema = schema;
        this.operatorNamed = engine == StoreDatabase.Engine.POSTGRESQL && user != null;
        this.passwordInFile = passwordInFile;
        this.user = user;
        this.password = password;
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
        if (engine == StoreDatabase.Engine.POSTGRESQL && user == null) {
            loadOrCreateRole();
        }
        Connection connection;
        try {
            connection = open(timeout);
        } catch (SQLException e) {
            if (!isLoginFailure(e) || operatorNamed) {
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
            if (engine == StoreDatabase.Engine.POSTGRESQL) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET TRANSACTION READ ONLY");
                }
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private Connection open(Duration timeout) throws SQLException {
        if (engine == StoreDatabase.Engine.H2) {
            return DriverManager.getConnection(url, user, password);
        }
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        if (schema != null) {
            properties.setProperty("currentSchema", schema);
        }
        // the lexer that checked the query reads strings as standard SQL; so must the server
        properties.setProperty("options", "-c standard_conforming_strings=on -c default_transaction_read_only=on"
                + " -c statement_timeout=" + timeout.toMillis() + " -c lock_timeout=1000"
                + " -c idle_in_transaction_session_timeout=" + Math.max(10_000, timeout.toMillis() * 2));
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url, properties);
    }

    private static boolean isLoginFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e.getErrorCode() == org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD || state.equals("28P01")
                || state.equals("28000");
    }

    /** Sets the reader up again: exists, may log in with the password known here, may only read. */
    private synchronized void repair() throws SQLException {
        if (engine == StoreDatabase.Engine.H2) {
            if (!passwordInFile) {
                password = secret(); // a store opened by URL keeps the reader's password in memory only
            }
            try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE USER IF NOT EXISTS " + user + " PASSWORD '" + password + "'");
                statement.execute("ALTER USER " + user + " SET PASSWORD '" + password + "'");
                statement.execute("ALTER USER " + user + " ADMIN FALSE");
                statement.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + user);
                commit(connection);
            }
            return;
        }
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + user + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                    + " NOREPLICATION PASSWORD '" + password + "'");
            grant(statement, user);
            commit(connection);
        }
    }

    /**
     * Reads the role from the settings table, or creates it: one creator at a time (the table is
     * locked), so two processes never hand out two passwords for one role.
     */
    private synchronized void loadOrCreateRole() throws SQLException {
        if (user != null) {
            return;
        }
        try (Connection connection = admin.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE cs_setting IN EXCLUSIVE MODE");
                String role = setting(connection, ROLE_SETTING);
                String secret = setting(connection, PASSWORD_SETTING);
                if (role == null || secret == null) {
                    role = roleName(connection);
                    secret = secret();
                    createRole(statement, role, secret);
                    grant(statement, role);
                    putSetting(connection, ROLE_SETTING, role);
                    putSetting(connection, PASSWORD_SETTING, secret);
                }
                connection.commit();
                password = secret;
                user = role;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private void createRole(Statement statement, String role, String secret) throws SQLException {
        String options = " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION CONNECTION LIMIT 20"
                + " PASSWORD '" + secret + "'";
        try {
            statement.execute("SAVEPOINT create_role");
            statement.execute("CREATE ROLE " + role + options);
        } catch (SQLException e) {
            if ("42710".equals(e.getSQLState())) { // left by an earlier store in this schema: take it over
                statement.execute("ROLLBACK TO SAVEPOINT create_role");
                statement.execute("ALTER ROLE " + role + options);
                return;
            }
            if ("42501".equals(e.getSQLState())) {
                throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "read-only SQL runs as its own"
                        + " PostgreSQL role, and this store's user may not create roles (" + SqlErrors.firstLine(
                        e.getMessage()) + "). Ask an administrator to run: CREATE ROLE " + role + " LOGIN PASSWORD"
                        + " '...'; GRANT USAGE ON SCHEMA " + schemaName() + " TO " + role + "; GRANT SELECT ON ALL"
                        + " TABLES IN SCHEMA " + schemaName() + " TO " + role + "; REVOKE ALL ON "
                        + schemaName() + ".cs_setting FROM " + role + "; then name it with"
                        + " ConfigStoreBuilder.sqlReader(user, password) or configstore sql --reader-user", e);
            }
            throw e;
        }
    }

    private void grant(Statement statement, String role) throws SQLException {
        String target = schemaName();
        statement.execute("GRANT USAGE ON SCHEMA " + target + " TO " + role);
        statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + target + " TO " + role);
        statement.execute("REVOKE ALL ON " + target + ".cs_setting FROM " + role);
        statement.execute("ALTER ROLE " + role + " SET default_transaction_read_only = on");
    }

    private String schemaName() {
        return schema != null ? schema : currentSchemaFallback();
    }

    private String currentSchemaFallback() {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_schema()")) {
            row.next();
            String name = row.getString(1);
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return name;
        } catch (SQLException e) {
            throw SqlErrors.translate("reading the store's schema", e);
        }
    }

    /** A role name of its own per database and schema: roles are shared by the whole server. */
    private String roleName(Connection connection) throws SQLException {
        String database;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_database(), current_schema()")) {
            row.next();
            database = row.getString(1) + "/" + row.getString(2);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(database.getBytes(StandardCharsets.UTF_8));
            return "cs_reader_" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT setting_value FROM cs_setting WHERE setting_name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static void putSetting(Connection connection, String name, String value) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM cs_setting WHERE setting_name = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO cs_setting (setting_name, setting_value) VALUES (?, ?)")) {
            delete.setString(1, name);
            delete.executeUpdate();
            insert.setString(1, name);
            insert.setString(2, value);
            insert.executeUpdate();
        }
    }

    private static void commit(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /**
     * Creates the H2 reader if it is missing and grants it the schema; writes nothing when it is
     * already there, so opening a store does not write.
     */
    void ensureH2() throws SQLException {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            boolean ready;
            try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.RIGHTS"
                    + " WHERE GRANTEE = '" + user.toUpperCase(Locale.ROOT) + "'")) {
                row.next();
                ready = row.getInt(1) > 0;
            }
            if (!ready) {
                statement.execute("CREATE USER IF NOT EXISTS " + user + " PASSWORD '" + password + "'");
                statement.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + user);
            }
            commit(connection);
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
