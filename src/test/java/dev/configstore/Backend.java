package dev.configstore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Where a test store lives: a fresh H2 file under a temporary directory, or a fresh schema in
 * PostgreSQL (from CONFIGSTORE_TEST_POSTGRES_URL, else Testcontainers where Docker runs, else
 * the test is skipped with the reason).
 */
public interface Backend {

    /** The backends every contract suite runs on, as the parameter of its {@code @ParameterizedClass}. */
    enum Kind {
        H2, POSTGRES;

        /** A new backend of this kind. */
        Backend create() {
            return this == H2 ? new Backend.H2() : new Backend.Postgres();
        }
    }

    /** A builder pointing at a new, empty store. */
    ConfigStoreBuilder newStore(Path temp);

    /** A builder pointing at the store the last {@link #newStore} call made. */
    ConfigStoreBuilder sameStore();

    /** A raw admin connection to the store the last {@link #newStore} call made, for tampering. */
    Connection adminConnection() throws SQLException;

    /**
     * After the fixture closed its store: says which store a test left open on the same
     * database, or null. H2 deletes a file's lock once the last process closes it.
     */
    default String stillOpen() {
        return null;
    }

    /**
     * The same store for a child JVM: a directory, or {@code url schema user password} with
     * {@code -} for an absent part; {@link #open(String...)} opens it there.
     */
    List<String> forChild();

    /**
     * Empties the store's database (the settings of its SQL reader kept) and brings it to schema
     * {@code version} with the landed migrations, as the release of that version made it.
     */
    default void recreateAtVersion(int version) throws SQLException {
        List<String[]> settings = new java.util.ArrayList<>();
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT setting_name, setting_value FROM cs_setting"
                    + " WHERE setting_name LIKE 'sql.reader.%'")) {
                while (rows.next()) {
                    settings.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
            if (this instanceof Postgres) {
                String schema = connection.getSchema();
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
                statement.execute("CREATE SCHEMA " + schema);
            } else {
                statement.execute("DROP ALL OBJECTS");
            }
        }
        javax.sql.DataSource admin = new AdminDataSource(this);
        var flyway = org.flywaydb.core.Flyway.configure().dataSource(admin)
                .locations("classpath:dev/configstore/db/migration").table("configstore_schema_history")
                .target(Integer.toString(version));
        if (this instanceof Postgres) {
            try (Connection connection = adminConnection()) {
                flyway.schemas(connection.getSchema());
            }
        }
        flyway.load().migrate();
        try (Connection connection = adminConnection();
             var insert = connection.prepareStatement("INSERT INTO cs_setting VALUES (?, ?)")) {
            for (String[] setting : settings) {
                insert.setString(1, setting[0]);
                insert.setString(2, setting[1]);
                insert.executeUpdate();
            }
        }
    }

    /** Opens the store {@link #forChild()} described, in a child JVM. */
    static ConfigStoreBuilder open(String... spec) {
        if (!spec[0].startsWith("jdbc:")) {
            return ConfigStore.builder().path(Path.of(spec[0]));
        }
        ConfigStoreBuilder builder = ConfigStore.builder().url(spec[0]).schema(spec[1]);
        if (!spec[2].equals("-")) {
            builder.credentials(spec[2], spec[3].equals("-") ? "" : spec[3]);
        }
        return builder;
    }

    /** Removes what the store left behind outside the temporary directory. */
    default void cleanUp() {
    }

    /** The admin connections of a backend as a DataSource, for Flyway. */
    record AdminDataSource(Backend backend) implements javax.sql.DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return backend.adminConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return backend.adminConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getLogger("configstore.test");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    /** An H2 file store in the test's temporary directory. */
    final class H2 implements Backend {
        private Path directory;

        @Override
        public ConfigStoreBuilder newStore(Path temp) {
            directory = temp.resolve("store-" + UUID.randomUUID());
            return ConfigStore.builder().path(directory);
        }

        @Override
        public ConfigStoreBuilder sameStore() {
            return ConfigStore.builder().path(directory);
        }

        @Override
        public String stillOpen() {
            return directory != null && java.nio.file.Files.exists(directory.resolve("store.lock.db"))
                    ? "the test left a store open on " + directory + " (close every store it opens)" : null;
        }

        @Override
        public Connection adminConnection() throws SQLException {
            Properties credentials = new Properties();
            try (var in = java.nio.file.Files.newBufferedReader(directory.resolve("credentials.properties"))) {
                credentials.load(in);
            } catch (java.io.IOException e) {
                throw new SQLException(e);
            }
            return DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("store") + ";AUTO_SERVER=TRUE",
                    credentials.getProperty("user"), credentials.getProperty("password"));
        }

        public Path directory() {
            return directory;
        }

        @Override
        public List<String> forChild() {
            return List.of(directory.toString());
        }
    }

    /** A fresh schema on a PostgreSQL server. */
    final class Postgres implements Backend {
        private static PostgreSQLContainer<?> container;
        private String url;
        private String user;
        private String password;
        private String schema;

        @Override
        public ConfigStoreBuilder newStore(Path temp) {
            resolveServer();
            schema = "cs_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            ConfigStoreBuilder builder = ConfigStore.builder().url(url).schema(schema);
            if (user != null) {
                builder.credentials(user, password == null ? "" : password);
            }
            return builder;
        }

        @Override
        public ConfigStoreBuilder sameStore() {
            ConfigStoreBuilder builder = ConfigStore.builder().url(url).schema(schema);
            if (user != null) {
                builder.credentials(user, password == null ? "" : password);
            }
            return builder;
        }

        @Override
        public List<String> forChild() {
            return List.of(url, schema, user == null ? "-" : user, password == null ? "-" : password);
        }

        private void resolveServer() {
            if (url != null) {
                return;
            }
            String configured = System.getenv("CONFIGSTORE_TEST_POSTGRES_URL");
            if (configured != null && !configured.isBlank()) {
                url = configured;
                return;
            }
            boolean docker;
            try {
                docker = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException e) {
                docker = false;
            }
            Assumptions.assumeTrue(docker, "PostgreSQL tests skipped: CONFIGSTORE_TEST_POSTGRES_URL is not set"
                    + " and no Docker engine is available for Testcontainers");
            synchronized (Postgres.class) {
                if (container == null) {
                    container = new PostgreSQLContainer<>("postgres:16-alpine");
                    container.start();
                }
            }
            url = container.getJdbcUrl();
            user = container.getUsername();
            password = container.getPassword();
        }

        @Override
        public Connection adminConnection() throws SQLException {
            Connection connection = user == null ? DriverManager.getConnection(url)
                    : DriverManager.getConnection(url, user, password);
            connection.setSchema(schema);
            return connection;
        }

        @Override
        public void cleanUp() {
            if (schema == null) {
                return;
            }
            try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
                String readerRole = null;
                try (var row = statement.executeQuery("SELECT setting_value FROM cs_setting WHERE setting_name = 'sql.reader.role'")) {
                    if (row.next()) {
                        readerRole = row.getString(1);
                    }
                } catch (SQLException noSettings) {
                    // the store never got that far
                }
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                if (readerRole != null) {
                    // roles belong to the whole server: drop the one this test's store made
                    statement.execute("DROP ROLE IF EXISTS " + readerRole);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test schema " + schema, e);
            }
        }
    }
}
