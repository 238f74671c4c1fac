package dev.configstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.profile.ProfileDefinition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A store written by the release whose schema was version 5, kept as two test resources: its
 * rows as portable INSERT statements ({@code version-5-store.sql}, loaded into a database that
 * Flyway brought to version 5 with the landed migrations) and what that release read from it
 * ({@code version-5-expected.json}: every document at every revision, the public views, the hash
 * chain). {@link #main} made both with that release, before schema version 6 existed; it is kept
 * to show how, and running it now would write rows of the newer schema.
 */
final class VersionFiveFixture {

    static final String STORE_SQL = "/dev/configstore/upgrade/version-5-store.sql";
    static final String EXPECTED_JSON = "/dev/configstore/upgrade/version-5-expected.json";
    static final List<String> DOCUMENTS = List.of("current", "base", "table-3", "scratch");
    /** The tables the fixture's rows fill, in an order that loads them. */
    static final List<String> TABLES = List.of("cs_revision", "cs_schema", "cs_document_version", "cs_entry",
            "cs_operation", "cs_restore_point", "cs_compaction", "cs_lease");
    /** The public views, each with the order its rows are compared in. */
    static final List<String> VIEWS = List.of(
            "SELECT * FROM revisions ORDER BY revision",
            "SELECT * FROM operations ORDER BY operation_id",
            "SELECT * FROM restore_points ORDER BY name",
            "SELECT * FROM documents ORDER BY document",
            "SELECT * FROM current_entries ORDER BY document, key_path",
            "SELECT * FROM config_changes ORDER BY revision, document, key_path",
            "SELECT name, lease_id, actor, host, pid, acquired_at, expires_at FROM leases ORDER BY name",
            "SELECT document, since_revision, schema_sha256 FROM document_schemas ORDER BY document",
            "SELECT revision, chain_hash FROM cs_revision ORDER BY revision");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VersionFiveFixture() {
    }

    /** Writes the two resources into {@code args[0]} (the test resources' upgrade folder). */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path temp = Files.createTempDirectory("fixture");
        Path directory = temp.resolve("store");
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("fixture").open()) {
            write(store);
        }
        try (Connection connection = adminConnection(directory)) {
            Files.writeString(out.resolve("version-5-store.sql"), dump(connection), StandardCharsets.UTF_8);
        }
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("fixture").open();
             Connection connection = adminConnection(directory)) {
            Files.writeString(out.resolve("version-5-expected.json"),
                    JSON.writeValueAsString(expected(store, connection)), StandardCharsets.UTF_8);
        }
    }

    /** History, profiles with metadata, a schema, restore points, a delete, failures, a compaction, a lease. */
    private static void write(ConfigStore store) {
        store.profiles().create(ProfileDefinition.named("base").describedAs("all tables").taggedWith(List.of("lab")));
        store.batch().set("base", "camera.fps", 30).set("base", "camera.modes", StoreAssertions.json("[1,2]"))
                .set("base", "limits.max", StoreAssertions.json("9223372036854775807"))
                .set("base", "limits.ratio", StoreAssertions.json("0.1000")).commit();
        store.profiles().create(ProfileDefinition.named("table-3").extending("base"));
        store.schemas().set("table-3", StoreAssertions.json(
                "{\"type\":\"object\",\"properties\":{\"camera\":{\"type\":\"object\"}}}"), false);
        for (int i = 0; i < 30; i++) {
            Batch batch = store.batch().set("table-3", "camera.id", i).set("current", "counter", i)
                    .set("current", "names." + (i % 4), "name " + i);
            if (i % 5 == 0) {
                batch.message("round " + i);
            }
            batch.commit();
        }
        store.put("current", "nothing", StoreAssertions.json("null"));
        store.backups().create("before-scratch", 2, "known good");
        store.put("scratch", "x", true);
        store.put("scratch", "y", "dé\"jà\\ vu\n");
        store.delete("scratch");
        store.backups().create("table-3", "t3", 1, "");
        try {
            store.batch().set("current", "counter", -1).expectRevision(1).commit();
        } catch (VersionConflictException expected) {
            // logged as a failed operation
        }
        store.history().compactKeepingNewest(20);
        store.unset("current", "names.0");
        store.put("table-3", "camera.id", 33);
        store.locks().acquire("deploy", Duration.ofDays(7));
        try {
            store.locks().acquire("deploy", Duration.ofHours(1), Duration.ofMillis(1));
        } catch (dev.configstore.lock.LeaseHeldException expected) {
            // logged too
        }
        store.health().verify();
    }

    /** Every row of the fixture's tables as INSERT statements, one per line. */
    private static String dump(Connection connection) throws SQLException {
        StringBuilder sql = new StringBuilder("-- rows of a version-5 store, written by VersionFiveFixture\n");
        try (Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                    }
                    while (rows.next()) {
                        List<String> values = new ArrayList<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            values.add(literal(rows, i, meta.getColumnType(i)));
                        }
                        sql.append("INSERT INTO ").append(table).append(" (").append(String.join(", ", columns))
                                .append(") VALUES (").append(String.join(", ", values)).append(");\n");
                    }
                }
            }
        }
        return sql.toString();
    }

    private static String literal(ResultSet rows, int column, int type) throws SQLException {
        Object value = rows.getObject(column);
        if (value == null) {
            return "NULL";
        }
        return switch (type) {
            case Types.BIGINT, Types.INTEGER -> Long.toString(rows.getLong(column));
            case Types.BOOLEAN -> rows.getBoolean(column) ? "TRUE" : "FALSE";
            case Types.TIMESTAMP_WITH_TIMEZONE -> "TIMESTAMP WITH TIME ZONE '"
                    + rows.getObject(column, OffsetDateTime.class) + "'";
            default -> "'" + rows.getString(column).replace("'", "''") + "'";
        };
    }

    /** Loads the fixture's rows into a database at schema version 5 and moves its identities past them. */
    static void load(Connection connection) throws Exception {
        String script;
        try (var in = VersionFiveFixture.class.getResourceAsStream(STORE_SQL)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Statement statement = connection.createStatement()) {
            for (String line : script.split("\n")) {
                if (line.startsWith("INSERT")) {
                    statement.execute(line.substring(0, line.length() - 1));
                }
            }
            for (String table : List.of("cs_operation", "cs_restore_point", "cs_compaction")) {
                long next;
                try (ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table)) {
                    row.next();
                    next = row.getLong(1);
                }
                statement.execute("ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH " + next);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** What a store reads, as the resource keeps it (written and parsed again, so numbers compare by value). */
    static JsonNode read(ConfigStore store, Connection connection) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(expected(store, connection)));
    }

    /** What a store reads: every document at every revision from the floor, the views, the chain. */
    static ObjectNode expected(ConfigStore store, Connection connection) throws SQLException {
        ObjectNode expected = JSON.createObjectNode();
        long floor;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(floor_revision), 0) FROM cs_compaction")) {
            row.next();
            floor = row.getLong(1); // read here: the store's own calls would add rows to the operation log
        }
        expected.put("head", store.revision());
        expected.put("floor", floor);
        ObjectNode documents = expected.putObject("documents");
        for (long revision = floor; revision <= store.revision(); revision++) {
            for (String document : DOCUMENTS) {
                Optional<Document> read = store.document(document, revision);
                documents.set(document + "@" + revision, read.map(Document::tree).orElse(null));
            }
        }
        ObjectNode views = expected.putObject("views");
        try (Statement statement = connection.createStatement()) {
            for (String query : VIEWS) {
                views.set(query, rows(statement, query));
            }
        }
        return expected;
    }

    /** Rows as JSON, each value in a form that does not depend on the database: H2 and PostgreSQL compare equal. */
    static JsonNode rows(Statement statement, String query) throws SQLException {
        var array = JSON.createArrayNode();
        try (ResultSet rows = statement.executeQuery(query)) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                ObjectNode row = array.addObject();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String name = meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                    Object value = rows.getObject(i);
                    if (value == null) {
                        row.putNull(name);
                    } else if (value instanceof Number) {
                        row.put(name, new BigDecimal(value.toString()).toPlainString());
                    } else if (meta.getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE
                            || value instanceof java.sql.Timestamp) {
                        row.put(name, rows.getObject(i, OffsetDateTime.class).toInstant().toString());
                    } else {
                        row.put(name, value.toString());
                    }
                }
            }
        }
        return array;
    }

    static JsonNode expected() throws Exception {
        try (var in = VersionFiveFixture.class.getResourceAsStream(EXPECTED_JSON)) {
            return JSON.readTree(in);
        }
    }

    private static Connection adminConnection(Path directory) throws SQLException {
        java.util.Properties credentials = new java.util.Properties();
        try (var in = Files.newBufferedReader(directory.resolve("credentials.properties"))) {
            credentials.load(in);
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
        return java.sql.DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("store") + ";AUTO_SERVER=TRUE",
                credentials.getProperty("user"), credentials.getProperty("password"));
    }
}
