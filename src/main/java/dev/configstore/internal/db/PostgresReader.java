package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The PostgreSQL reader: a login role the store creates (or the operator names) with USAGE on
 * the store's schema and SELECT on its tables and views, minus the settings table. Its sessions
 * start read-only with a statement timeout; a role the store made keeps its password in that
 * settings table, which only the store's own user can read.
 */
final class PostgresReader extends SqlReader {

    private static final String ROLE_SETTING = "sql.reader.role";
    private static final String PASSWORD_SETTING = "sql.reader.password";

    private final boolean operatorNamed;

    /** @param user the role the operator named, or {@code null} for one the store creates */
    PostgresReader(DataSource admin, String url, String schema, String user, String password) {
        super(admin, url, schema, user, password);
        this.operatorNamed = user != null;
    }

    @Override
    void ensure() {
        // made on the first query, so that opening a store never writes
    }

    @Override
    void beforeLogin() throws SQLException {
        if (user == null) {
            loadOrCreateRole();
        }
    }

    @Override
    boolean repairable() {
        return !operatorNamed;
    }

    @Override
    Connection open(Duration timeout) throws SQLException {
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

    @Override
    synchronized void repair() throws SQLException {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + user + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
                    + " NOREPLICATION PASSWORD '" + password + "'");
            grant(statement, user);
            commit(connection);
        }
    }

    @Override
    void startReadOnly(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION READ ONLY");
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
}
