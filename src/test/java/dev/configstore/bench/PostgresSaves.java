package dev.configstore.bench;

import dev.configstore.Batch;
import dev.configstore.ConfigStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The benchmark's PostgreSQL saves, on the server {@code CONFIGSTORE_TEST_POSTGRES_URL} names:
 * the floor (one insert + commit over JDBC into a one-table schema) and a 1-key save of the store
 * on a 200-key document, each in its own new schema, dropped afterwards with the store's SQL
 * reader role.
 */
final class PostgresSaves implements AutoCloseable {

    static final String FLOOR = "PostgreSQL insert + commit (PostgreSQL floor)";
    static final String SAVE = "configstore 1-key save on PostgreSQL, 200-key document";

    private final String url;
    private final List<String> schemas = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    private PostgresSaves(String url) {
        this.url = url;
    }

    /** The saves, or null when no server is configured. */
    static PostgresSaves fromEnvironment() {
        String url = System.getenv("CONFIGSTORE_TEST_POSTGRES_URL");
        return url == null || url.isBlank() ? null : new PostgresSaves(url);
    }

    Benchmark.Save floor() throws SQLException {
        String schema = newSchema();
        Connection connection = DriverManager.getConnection(url);
        open.add(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + ".t (id BIGINT PRIMARY KEY, v VARCHAR(100))");
        }
        connection.setAutoCommit(false);
        PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".t VALUES (?, ?)");
        return round -> {
            insert.setLong(1, round);
            insert.setString(2, "value " + round);
            insert.executeUpdate();
            connection.commit();
        };
    }

    Benchmark.Save save() {
        ConfigStore store = ConfigStore.builder().url(url).schema(newSchema()).actor("bench").open();
        open.add(store);
        Batch batch = store.batch();
        for (int i = 0; i < 200; i++) {
            batch.set("current", "key" + i, "value " + i);
        }
        batch.commit();
        return round -> store.put("key7", round);
    }

    private String newSchema() {
        String schema = "cs_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        schemas.add(schema);
        return schema;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String schema : schemas) {
                String role = null;
                try (ResultSet row = statement.executeQuery("SELECT setting_value FROM " + schema
                        + ".cs_setting WHERE setting_name = 'sql.reader.role'")) {
                    role = row.next() ? row.getString(1) : null;
                } catch (SQLException noStore) {
                    // the floor's schema has no settings
                }
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                if (role != null) {
                    statement.execute("DROP ROLE IF EXISTS " + role);
                }
            }
        }
    }
}
