package dev.configstore.bench;

import static dev.configstore.bench.Results.median;
import static dev.configstore.bench.Results.micros;
import static dev.configstore.bench.Results.percentile;
import static dev.configstore.bench.Results.throughput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.configstore.Batch;
import dev.configstore.ConfigStore;
import dev.configstore.Durability;
import dev.configstore.format.Format;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.configuration2.DatabaseConfiguration;
import org.h2.jdbc.JdbcConnection;
import org.h2.engine.SessionLocal;

/**
 * The benchmark: floors, the file-based baseline, peers a JVM user could pick, and the store,
 * measured side by side in one run on one machine. Saves are interleaved round by round, so
 * the machine's noise falls on all of them alike. Prints a table and writes it to
 * {@code bench/results-DATE.md} under the project directory given as the first argument.
 *
 * <p>Run with {@code ./mvnw -Pbench verify}.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final Path work;
    private final Path project;
    private final Results results = new Results();
    private final int rounds;
    private final int warmup;
    private final int millionRevisions;

    private Benchmark(Path project, int rounds, int warmup, int largeHistory) throws IOException {
        this.project = project;
        this.rounds = rounds;
        this.warmup = warmup;
        this.millionRevisions = largeHistory;
        this.work = Files.createTempDirectory("configstore-bench");
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int largeHistory = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        Benchmark benchmark = new Benchmark(project, rounds, warmup, largeHistory);
        try {
            benchmark.run();
        } finally {
            benchmark.cleanUp();
        }
    }

    /** One kind of save, timed one call at a time. */
    interface Save {
        void save(int round) throws Exception;
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        Map<String, Save> saves = new LinkedHashMap<>();
        saves.put("raw 4 KB write + fsync", rawFsync());
        saves.put("H2 insert + commit, WRITE_DELAY=0 (PROCESS floor)", h2Insert(false));
        saves.put("H2 insert + commit + file sync (SYNC floor)", h2Insert(true));
        saves.put("JSON file, 200 keys: temp + fsync + rename + dir fsync", fileBaseline(200));
        saves.put("JSON file, 10,000 keys: temp + fsync + rename + dir fsync", fileBaseline(10_000));
        saves.put("SQLite WAL + synchronous=FULL: update + history row", sqlite());
        saves.put("Commons Configuration DatabaseConfiguration on H2: setProperty", commonsConfiguration());
        ConfigStore sync200 = store("sync-200", Durability.SYNC, 200);
        ConfigStore sync10k = store("sync-10k", Durability.SYNC, 10_000);
        ConfigStore process200 = store("process-200", Durability.PROCESS, 200);
        ConfigStore process10k = store("process-10k", Durability.PROCESS, 10_000);
        saves.put("configstore 1-key save, SYNC, 200-key document", round -> sync200.put("key7", round));
        saves.put("configstore 1-key save, SYNC, 10,000-key document", round -> sync10k.put("key7", round));
        saves.put("configstore 1-key save, PROCESS, 200-key document", round -> process200.put("key7", round));
        saves.put("configstore 1-key save, PROCESS, 10,000-key document", round -> process10k.put("key7", round));
        ConfigStore schema200 = withSchema(store("schema-200", Durability.PROCESS, 200), 200);
        ConfigStore schema10k = withSchema(store("schema-10k", Durability.PROCESS, 10_000), 10_000);
        saves.put("configstore 1-key save, PROCESS, 200-key document, no schema", round -> process200.put("key8",
                "value " + round));
        saves.put("configstore 1-key save, PROCESS, 200-key document, 200-key JSON Schema", round -> schema200.put("key8",
                "value " + round));
        saves.put("configstore 1-key save, PROCESS, 10,000-key document, no schema", round -> process10k.put("key8",
                "value " + round));
        saves.put("configstore 1-key save, PROCESS, 10,000-key document, 10,000-key JSON Schema",
                round -> schema10k.put("key8", "value " + round));
        PostgresSaves postgres = PostgresSaves.fromEnvironment();
        if (postgres != null) {
            saves.put(PostgresSaves.FLOOR, postgres.floor());
            saves.put(PostgresSaves.SAVE, postgres.save());
        } else {
            results.note("No PostgreSQL figures: CONFIGSTORE_TEST_POSTGRES_URL is not set.");
        }

        Map<String, List<Long>> timings = new LinkedHashMap<>();
        saves.keySet().forEach(name -> timings.put(name, new ArrayList<>()));
        for (int round = -warmup; round < rounds; round++) {
            for (Map.Entry<String, Save> save : saves.entrySet()) {
                long t0 = System.nanoTime();
                save.getValue().save(round + warmup);
                long micros = (System.nanoTime() - t0) / 1000;
                if (round >= 0) {
                    timings.get(save.getKey()).add(micros);
                }
            }
        }
        double raw = median(timings.get("raw 4 KB write + fsync"));
        double h2Process = median(timings.get("H2 insert + commit, WRITE_DELAY=0 (PROCESS floor)"));
        double h2Sync = median(timings.get("H2 insert + commit + file sync (SYNC floor)"));
        double file200 = median(timings.get("JSON file, 200 keys: temp + fsync + rename + dir fsync"));
        double file10k = median(timings.get("JSON file, 10,000 keys: temp + fsync + rename + dir fsync"));
        for (Map.Entry<String, List<Long>> timing : timings.entrySet()) {
            double median = median(timing.getValue());
            String name = timing.getKey();
            String ratio = String.format(Locale.ROOT, "%.1fx raw fsync", median / raw);
            if (name.startsWith("configstore") && name.contains("SYNC")) {
                double file = name.contains("10,000") ? file10k : file200;
                ratio += String.format(Locale.ROOT, "; %.1fx H2 SYNC floor; %.2fx the file baseline's time",
                        median / h2Sync, median / file);
            } else if (name.startsWith("configstore") && name.contains("PROCESS")) {
                ratio += String.format(Locale.ROOT, "; %.1fx H2 PROCESS floor", median / h2Process);
            }
            if (name.equals(PostgresSaves.SAVE)) {
                ratio += String.format(Locale.ROOT, "; %.1fx PostgreSQL floor",
                        median / median(timings.get(PostgresSaves.FLOOR)));
            }
            if (name.endsWith("JSON Schema")) {
                String plain = name.substring(0, name.lastIndexOf(", ")) + ", no schema";
                ratio += String.format(Locale.ROOT, "; %.2fx the same save without a schema",
                        median / median(timings.get(plain)));
            }
            results.row(name, micros(median), micros(percentile(timing.getValue(), 99)), ratio);
        }

        if (postgres != null) {
            postgres.close();
        }
        concurrentWriters(sync200);
        readAtHead(process200);
        oldRevision(process10k);
        storagePerRevision();
        importExport(process10k);
        for (ConfigStore store : List.of(sync200, sync10k, process200, process10k, schema200, schema10k)) {
            store.close();
        }
        cliWallTime(); // with the stores above closed: their H2 background threads would compete for the cores
        if (millionRevisions > 0) {
            largeHistory(millionRevisions);
        }
        results.note(String.format(Locale.ROOT, "%d interleaved rounds after %d warm-up rounds; the whole run took %d s.",
                rounds, warmup, (System.nanoTime() - start) / 1_000_000_000L));
        results.write(project, "Benchmark", "results");
    }

    private ConfigStore store(String name, Durability durability, int keys) {
        ConfigStore store = ConfigStore.builder().path(work.resolve(name)).durability(durability).actor("bench").open();
        Batch batch = store.batch();
        for (int i = 0; i < keys; i++) {
            batch.set("current", "key" + i, "value " + i);
        }
        batch.commit();
        return store;
    }

    /** The store with a JSON Schema that types every one of its keys and allows no others. */
    private static ConfigStore withSchema(ConfigStore store, int keys) {
        com.fasterxml.jackson.databind.node.ObjectNode schema = JSON.createObjectNode().put("type", "object")
                .put("additionalProperties", false);
        com.fasterxml.jackson.databind.node.ObjectNode properties = schema.putObject("properties");
        for (int i = 0; i < keys; i++) {
            properties.putObject("key" + i).put("type", "string").put("maxLength", 100);
        }
        store.schemas().set("current", schema, false);
        return store;
    }

    private Save rawFsync() throws IOException {
        FileChannel channel = FileChannel.open(work.resolve("raw.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        byte[] block = new byte[4096];
        return round -> {
            block[0] = (byte) round;
            channel.write(ByteBuffer.wrap(block), (round % 256) * 4096L);
            channel.force(true);
        };
    }

    private Save h2Insert(boolean sync) throws Exception {
        Connection connection = DriverManager.getConnection("jdbc:h2:file:" + work.resolve(sync ? "h2-sync" : "h2-process")
                + ";WRITE_DELAY=0", "sa", "sa");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(100))");
        }
        connection.setAutoCommit(false);
        PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)");
        var fileStore = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                .getMvStore().getFileStore();
        return round -> {
            insert.setLong(1, round);
            insert.setString(2, "value " + round);
            insert.executeUpdate();
            connection.commit();
            if (sync) {
                fileStore.sync();
            }
        };
    }

    private Save fileBaseline(int keys) throws IOException {
        Path directory = Files.createDirectories(work.resolve("file-" + keys));
        Map<String, Object> document = new TreeMap<>();
        for (int i = 0; i < keys; i++) {
            document.put("key" + i, "value " + i);
        }
        Path target = directory.resolve("config.json");
        Path temp = directory.resolve("config.json.tmp");
        return round -> {
            document.put("key7", round);
            byte[] bytes = JSON.writeValueAsBytes(document);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        };
    }

    private Save sqlite() throws Exception {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("sqlite.db"));
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("CREATE TABLE config (k TEXT PRIMARY KEY, v TEXT)");
            statement.execute("CREATE TABLE history (id INTEGER PRIMARY KEY, k TEXT, v TEXT, at INTEGER)");
            for (int i = 0; i < 200; i++) {
                statement.execute("INSERT INTO config VALUES ('key" + i + "', 'value " + i + "')");
            }
        }
        connection.setAutoCommit(false);
        PreparedStatement update = connection.prepareStatement("UPDATE config SET v = ? WHERE k = 'key7'");
        PreparedStatement history = connection.prepareStatement("INSERT INTO history (k, v, at) VALUES ('key7', ?, ?)");
        return round -> {
            update.setString(1, String.valueOf(round));
            update.executeUpdate();
            history.setString(1, String.valueOf(round));
            history.setLong(2, System.currentTimeMillis());
            history.executeUpdate();
            connection.commit();
        };
    }

    private Save commonsConfiguration() throws Exception {
        // pooled, as an application would give it (DatabaseConfiguration takes a connection per call)
        com.zaxxer.hikari.HikariDataSource dataSource = new com.zaxxer.hikari.HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:file:" + work.resolve("commons") + ";WRITE_DELAY=0");
        dataSource.setUsername("sa");
        dataSource.setPassword("sa");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE settings (name VARCHAR(100), setting_key VARCHAR(200), setting_value"
                    + " VARCHAR(1000))");
        }
        // set up directly: the fluent builder would need commons-beanutils on the class path
        DatabaseConfiguration configuration = new DatabaseConfiguration();
        configuration.setDataSource(dataSource);
        configuration.setTable("settings");
        configuration.setConfigurationNameColumn("name");
        configuration.setConfigurationName("app");
        configuration.setKeyColumn("setting_key");
        configuration.setValueColumn("setting_value");
        configuration.setAutoCommit(true);
        for (int i = 0; i < 200; i++) {
            configuration.addProperty("key" + i, "value " + i);
        }
        return round -> configuration.setProperty("key7", String.valueOf(round));
    }

    /** One writer, then eight, five times in turn; the medians of the five. */
    private void concurrentWriters(ConfigStore store) throws Exception {
        int perWriter = Math.max(100, rounds / 4);
        List<Long> single = new ArrayList<>();
        List<Long> eight = new ArrayList<>();
        long[] before = ((dev.configstore.internal.DefaultConfigStore) store).syncCounters();
        for (int run = 0; run < 5; run++) {
            single.add(Math.round(throughput(store, 1, perWriter * 2)));
            eight.add(Math.round(throughput(store, 8, perWriter)));
        }
        long[] after = ((dev.configstore.internal.DefaultConfigStore) store).syncCounters();
        double one = median(single);
        double many = median(eight);
        results.row("configstore SYNC saves/s, 1 writer", "", "", String.format(Locale.ROOT, "%.0f saves/s", one));
        results.row("configstore SYNC saves/s, 8 writers", "", "", String.format(Locale.ROOT,
                "%.0f saves/s = %.2fx one writer (%d syncs for %d commits in these runs)", many, many / one,
                after[0] - before[0], after[1] - before[1]));
    }

    private void readAtHead(ConfigStore store) {
        List<Long> batches = new ArrayList<>();
        int reads = 1_000_000;
        String[] keys = new String[128];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key" + i;
        }
        for (int batch = -3; batch < 7; batch++) {
            long t0 = System.nanoTime();
            long found = 0;
            for (int i = 0; i < reads; i++) {
                found += store.find(keys[i & 127]).isPresent() ? 1 : 0;
            }
            long nanosPerRead = (System.nanoTime() - t0) / reads;
            if (batch >= 0 && found == reads) {
                batches.add(nanosPerRead);
            }
        }
        results.row("configstore get at head (from memory)", String.format(Locale.ROOT, "%.0f ns", median(batches)), "",
                "1,000,000 reads of 128 keys a batch, median of 7 batches (one thread)");
    }

    private void oldRevision(ConfigStore store) {
        long old = store.revision();
        for (int i = 0; i < 100; i++) {
            store.put("key" + (i * 97 % 10_000), "changed " + i);
        }
        List<Long> timings = new ArrayList<>();
        for (int i = -3; i < 15; i++) {
            long t0 = System.nanoTime();
            int keys = store.document("current", old).orElseThrow().tree().size();
            long micros = (System.nanoTime() - t0) / 1000;
            if (i >= 0 && keys > 0) {
                timings.add(micros);
            }
        }
        results.row("configstore whole 10,000-key document at an old revision", micros(median(timings)),
                micros(percentile(timings, 99)), "100 revisions behind the head");
    }

    private void storagePerRevision() throws Exception {
        Path directory = work.resolve("storage");
        int revisions = 5_000;
        try (ConfigStore store = ConfigStore.builder().path(directory).durability(Durability.PROCESS).open()) {
            Batch batch = store.batch();
            for (int i = 0; i < 200; i++) {
                batch.set("current", "key" + i, "value " + i);
            }
            batch.commit();
        }
        long before = packedSize(directory);
        long liveBefore = Files.size(directory.resolve("store.mv.db"));
        try (ConfigStore store = ConfigStore.builder().path(directory).durability(Durability.PROCESS).open()) {
            for (int i = 0; i < revisions; i++) {
                store.put("key7", i);
            }
        }
        long unpacked = Files.size(directory.resolve("store.mv.db"));
        long after = packedSize(directory);
        results.row("configstore storage per 1-key revision, packed", (after - before) / revisions + " B", "",
                revisions + " revisions; file packed by H2 before and after");
        results.row("configstore file growth per 1-key revision, as written", (unpacked - liveBefore) / revisions + " B", "",
                "before H2 reuses freed pages (a burst of writes)");
    }

    /** The store's file size after H2 packs it (SHUTDOWN COMPACT with the store closed). */
    private static long packedSize(Path directory) throws Exception {
        java.util.Properties credentials = new java.util.Properties();
        try (var in = Files.newBufferedReader(directory.resolve("credentials.properties"))) {
            credentials.load(in);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("store"),
                credentials.getProperty("user"), credentials.getProperty("password"));
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        }
        return Files.size(directory.resolve("store.mv.db"));
    }

    private void importExport(ConfigStore store) {
        for (Format format : List.of(Format.JSON, Format.YAML)) {
            List<Long> exports = new ArrayList<>();
            List<Long> imports = new ArrayList<>();
            for (int run = -2; run < 7; run++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long t0 = System.nanoTime();
                store.formats().exportDocument("current", format, out, dev.configstore.format.ExportOptions.head());
                long exportMicros = (System.nanoTime() - t0) / 1000;
                String document = "copy-" + format.extension() + "-" + (run + 2);
                t0 = System.nanoTime();
                store.formats().importDocument(document, format, new ByteArrayInputStream(out.toByteArray()),
                        "bench", dev.configstore.format.ImportOptions.replacing());
                long importMicros = (System.nanoTime() - t0) / 1000;
                if (run >= 0) {
                    exports.add(exportMicros);
                    imports.add(importMicros);
                }
            }
            results.row("configstore export of a 10,000-key document, " + format, micros(median(exports)), "", "");
            results.row("configstore import of a 10,000-key document, " + format, micros(median(imports)), "",
                    "replace into a new document: 10,000 rows written");
        }
    }

    private void cliWallTime() throws Exception {
        Path jar = project.resolve("target/configstore-0.1.0-SNAPSHOT-cli.jar");
        if (!Files.exists(jar)) {
            results.note("CLI wall time not measured: " + jar + " is missing (run ./mvnw package first).");
            return;
        }
        Path directory = work.resolve("cli");
        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            store.put("api.port", 8080);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Long> timings = cliRuns(List.of(java, "-Dh2.bindAddress=127.0.0.1", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString(), "--store", directory.toString(), "get", "api.port"));
        results.row("CLI get, process start to exit", String.format(Locale.ROOT, "%.0f ms", median(timings)),
                percentile(timings, 99) + " ms",
                "java -jar, no class-data sharing; median of 10");
        Path launcher = project.resolve("configstore");
        if (!Files.isExecutable(launcher)) {
            results.note("CLI wall time through the launcher not measured: " + launcher + " is missing.");
            return;
        }
        // the first of the unmeasured runs may make the class-data sharing archive
        List<Long> launched = cliRuns(List.of(launcher.toString(), "--store", directory.toString(), "get", "api.port"));
        results.row("CLI get through ./configstore, process start to exit", String.format(Locale.ROOT, "%.0f ms",
                median(launched)), percentile(launched, 99) + " ms", "with the launcher's class-data sharing archive;"
                + " median of 10");
    }

    /** Wall times in ms of 10 runs of a command that must print 8080, after 2 unmeasured runs. */
    private static List<Long> cliRuns(List<String> command) throws Exception {
        List<Long> timings = new ArrayList<>();
        for (int run = -2; run < 10; run++) {
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = process.waitFor();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (exit != 0 || !output.equals("8080")) {
                throw new IllegalStateException(command.get(0) + " failed: exit " + exit + ": " + output);
            }
            if (run >= 0) {
                timings.add(millis);
            }
        }
        return timings;
    }

    /**
     * A store with a long history, loaded in bulk: writing it through the API would take a
     * save each (minutes), so the rows are inserted directly, exactly as the store writes them
     * (one revision a 1-key change, round-robin over 200 keys, checksums kept up to date).
     */
    private void largeHistory(int revisions) throws Exception {
        Path directory = work.resolve("history");
        try (ConfigStore store = ConfigStore.builder().path(directory).durability(Durability.PROCESS).open()) {
            Batch batch = store.batch();
            for (int i = 0; i < 200; i++) {
                batch.set("current", "key" + i, "value " + i);
            }
            batch.commit();
        }
        java.util.Properties credentials = new java.util.Properties();
        try (var in = Files.newBufferedReader(directory.resolve("credentials.properties"))) {
            credentials.load(in);
        }
        long t0 = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("store"),
                credentials.getProperty("user"), credentials.getProperty("password"))) {
            connection.setAutoCommit(false);
            java.math.BigInteger modulus = java.math.BigInteger.ONE.shiftLeft(256);
            java.math.BigInteger sum;
            try (Statement statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT checksum FROM cs_document_version WHERE revision = 1")) {
                rows.next();
                sum = new java.math.BigInteger(rows.getString(1), 16);
            }
            String[] values = new String[200];
            for (int i = 0; i < 200; i++) {
                values[i] = "\"value " + i + "\"";
            }
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            try (PreparedStatement revision = connection.prepareStatement(
                    "INSERT INTO cs_revision (revision, committed_at, actor, message, operation)"
                            + " VALUES (?, ?, 'bulk', NULL, 'set')");
                 PreparedStatement close = connection.prepareStatement("UPDATE cs_entry SET valid_to = ?"
                         + " WHERE document = 'current' AND key_path = ? AND valid_from = ?");
                 PreparedStatement entry = connection.prepareStatement(
                         "INSERT INTO cs_entry VALUES ('current', ?, ?, ?, ?)");
                 PreparedStatement version = connection.prepareStatement(
                         "INSERT INTO cs_document_version (document, revision, deleted, key_count, checksum)"
                                 + " VALUES ('current', ?, FALSE, 200, ?)")) {
                java.time.OffsetDateTime base = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                        .minusSeconds(revisions);
                // every row's end is known in advance (the next change of its key), so rows are written
                // whole: a batch cannot close a row that a later batch inserts
                for (int key = 0; key < 200; key++) {
                    long first = key >= 2 ? key : key + 200;
                    if (first <= revisions) {
                        close.setLong(1, first);
                        close.setString(2, "key" + key);
                        close.setLong(3, 1);
                        close.addBatch();
                    }
                }
                close.executeBatch();
                for (int r = 2; r <= revisions; r++) {
                    int key = r % 200;
                    String path = "key" + key;
                    String value = "\"v" + r + "\"";
                    sum = sum.subtract(digest(sha, path, values[key])).add(digest(sha, path, value)).mod(modulus);
                    revision.setLong(1, r);
                    revision.setObject(2, base.plusSeconds(r));
                    revision.addBatch();
                    entry.setString(1, path);
                    entry.setLong(2, r);
                    entry.setLong(3, r + 200 <= revisions ? r + 200 : Long.MAX_VALUE);
                    entry.setString(4, value);
                    entry.addBatch();
                    version.setLong(1, r);
                    String hex = sum.toString(16);
                    version.setString(2, "0".repeat(64 - hex.length()) + hex);
                    version.addBatch();
                    values[key] = value;
                    if (r % 5_000 == 0 || r == revisions) {
                        revision.executeBatch();
                        entry.executeBatch();
                        version.executeBatch();
                        connection.commit();
                    }
                }
            }
        }
        long buildSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
        long size = Files.size(directory.resolve("store.mv.db"));
        try (ConfigStore store = ConfigStore.builder().path(directory).durability(Durability.PROCESS).open()) {
            var integrity = store.health().check().findings().stream().filter(f -> f.check().equals("integrity"))
                    .findFirst().orElseThrow();
            if (store.revision() != revisions || integrity.level() != dev.configstore.health.HealthLevel.OK) {
                throw new IllegalStateException("the bulk-loaded store is not consistent: head " + store.revision()
                        + ", " + integrity.message());
            }
            Map<String, List<Long>> timings = new LinkedHashMap<>();
            Map<String, java.util.function.IntSupplier> reads = new LinkedHashMap<>();
            reads.put("configstore history of one key (20 newest), " + revisions + "-revision store",
                    () -> store.history().ofKey("current", "key7", 20).size());
            reads.put("configstore diff between revisions 1,000 and " + (revisions - 1_000),
                    () -> store.history().diff("current", 1_000, revisions - 1_000).changes().size());
            reads.put("configstore diff between revisions " + revisions / 4 + " and " + revisions * 3 / 4,
                    () -> store.history().diff("current", revisions / 4, revisions * 3 / 4).changes().size());
            reads.put("configstore whole document at revision " + revisions / 2 + " (middle of the history)",
                    () -> store.document("current", revisions / 2).orElseThrow().tree().size());
            List<Long> first = new ArrayList<>();
            for (int run = -10; run < 30; run++) {
                for (Map.Entry<String, java.util.function.IntSupplier> read : reads.entrySet()) {
                    long t1 = System.nanoTime();
                    int found = read.getValue().getAsInt();
                    long micros = (System.nanoTime() - t1) / 1000;
                    if (found == 0) {
                        throw new IllegalStateException(read.getKey() + " read nothing");
                    }
                    if (run == -10) {
                        first.add(micros);
                    } else if (run >= 0) {
                        timings.computeIfAbsent(read.getKey(), key -> new ArrayList<>()).add(micros);
                    }
                }
            }
            int index = 0;
            for (Map.Entry<String, List<Long>> timing : timings.entrySet()) {
                String note = (index == 0 ? "store built in bulk in " + buildSeconds + " s, " + size / (1 << 20)
                        + " MiB; " : "same store; ") + "first call " + micros(first.get(index));
                results.row(timing.getKey(), micros(median(timing.getValue())), micros(percentile(timing.getValue(), 99)), note);
                index++;
            }
        }
        results.note("Reads of the large store: medians of 30 calls after 10 warm-up calls; the first call, with a"
                + " cold JIT and H2 page cache, is in the notes.");
    }

    private static java.math.BigInteger digest(java.security.MessageDigest sha, String path, String json) {
        sha.reset();
        sha.update(path.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(json.getBytes(StandardCharsets.UTF_8));
        return new java.math.BigInteger(1, sha.digest());
    }

    private void cleanUp() throws IOException {
        try (var paths = Files.walk(work)) {
            paths.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

}
