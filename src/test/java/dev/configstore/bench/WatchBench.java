package dev.configstore.bench;

import static dev.configstore.bench.Results.median;
import static dev.configstore.bench.Results.micros;
import static dev.configstore.bench.Results.percentile;
import static dev.configstore.bench.Results.throughput;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreBuilder;
import dev.configstore.Durability;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The live store's figures, written to {@code bench/watch-results-DATE.md}:
 * <ul>
 * <li>latency from a commit acknowledged in one process to the watch listener's call in
 * another, on H2 (the watcher holds the file, the writer joins through its auto-server) and on
 * PostgreSQL (when {@code CONFIGSTORE_TEST_POSTGRES_URL} names a server): the writer prints
 * the wall-clock time its write returned, the watcher notes the time its listener was called;
 * <li>a writer's 1-key saves with 100 watches registered (50 on the key written, 50 on other
 * keys) against none, in alternating runs in one JVM;
 * <li>8 SYNC writers' throughput with a watch whose listener sleeps 50 ms per event, against none.
 * </ul>
 * Run by {@code ./mvnw -Pbench verify} after the main benchmark.
 */
public final class WatchBench {

    private final Path project;
    private final Path work;
    private final Results results = new Results();

    private WatchBench(Path project) throws IOException {
        this.project = project;
        this.work = Files.createTempDirectory("configstore-watch-bench");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("write")) {
            write(Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
            return;
        }
        WatchBench bench = new WatchBench(Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath());
        long start = System.nanoTime();
        bench.latency("H2 file", List.of(bench.work.resolve("latency").toString()), 300);
        String postgres = System.getenv("CONFIGSTORE_TEST_POSTGRES_URL");
        if (postgres != null && !postgres.isBlank()) {
            String schema = "cs_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try {
                bench.latency("PostgreSQL", List.of(postgres, schema), 300);
            } finally {
                dropSchema(postgres, schema);
            }
        } else {
            bench.results.note("PostgreSQL latency not measured: CONFIGSTORE_TEST_POSTGRES_URL is not set.");
        }
        bench.writerCost();
        bench.slowListener();
        bench.results.note(String.format(Locale.ROOT, "The run took %d s.", (System.nanoTime() - start) / 1_000_000_000L));
        bench.results.write(bench.project, "Watch benchmark", "watch-results");
        try (var paths = Files.walk(bench.work)) {
            paths.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Drops the benchmark's schema and the reader role its store made (roles belong to the whole server). */
    private static void dropSchema(String url, String schema) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url);
             java.sql.Statement statement = connection.createStatement()) {
            String role = null;
            try (java.sql.ResultSet row = statement.executeQuery("SELECT setting_value FROM " + schema
                    + ".cs_setting WHERE setting_name = 'sql.reader.role'")) {
                role = row.next() ? row.getString(1) : null;
            } catch (java.sql.SQLException none) {
                // the store never got that far
            }
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            if (role != null) {
                statement.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    private static ConfigStoreBuilder open(List<String> spec) {
        return spec.size() == 1 ? ConfigStore.builder().path(Path.of(spec.get(0)))
                : ConfigStore.builder().url(spec.get(0)).schema(spec.get(1));
    }

    /** The writer process: N writes of {@code probe}, 20-30 ms apart, printing {@code ACK revision micros}. */
    private static void write(int writes, List<String> spec) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (ConfigStore store = open(spec).durability(Durability.PROCESS).actor("writer").open()) {
            out.println("READY");
            java.util.Random random = new java.util.Random(7);
            for (int i = 1; i <= writes; i++) {
                long revision = store.put("probe", i).revision();
                out.println("ACK " + revision + " " + ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
                Thread.sleep(20 + random.nextInt(10));
            }
            out.println("DONE");
        }
    }

    private void latency(String engine, List<String> spec, int writes) throws Exception {
        Map<Long, Long> received = new ConcurrentHashMap<>();
        try (ConfigStore store = open(spec).actor("watcher").open()) {
            store.put("probe", 0);
            try (Watch watch = store.watch(WatchRequest.key("probe"),
                    (WatchEvent event) -> received.put(event.revision(), ChronoUnit.MICROS.between(Instant.EPOCH,
                            Instant.now())))) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Dh2.bindAddress=127.0.0.1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp", System.getProperty("java.class.path"),
                        WatchBench.class.getName(), "write", Integer.toString(writes)));
                command.addAll(spec);
                Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null && !line.equals("DONE"); line = lines.readLine()) {
                        if (line.startsWith("ACK ")) {
                            String[] parts = line.split(" ");
                            acknowledged.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                        }
                    }
                }
                child.waitFor(60, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!received.keySet().containsAll(acknowledged.keySet()) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                List<Long> latencies = new ArrayList<>();
                int early = 0;
                for (Map.Entry<Long, Long> ack : acknowledged.entrySet()) {
                    Long at = received.get(ack.getKey());
                    if (at != null) {
                        long latency = at - ack.getValue();
                        early += latency < 0 ? 1 : 0;
                        latencies.add(Math.max(0, latency));
                    }
                }
                results.row("watch latency, commit in process A to listener in process B, " + engine,
                        millis(median(latencies)), millis(percentile(latencies, 99)),
                        String.format(Locale.ROOT, "%d of %d writes delivered; %d reached the listener before the"
                                        + " writer's call returned (counted as 0)", latencies.size(), acknowledged.size(),
                                early));
            }
        }
    }

    private void writerCost() throws Exception {
        try (ConfigStore store = ConfigStore.builder().path(work.resolve("cost")).durability(Durability.PROCESS)
                .actor("bench").open()) {
            for (int i = 0; i < 200; i++) {
                store.put("other.k" + i, i);
            }
            List<Long> none = new ArrayList<>();
            List<Long> hundred = new ArrayList<>();
            int saves = 400;
            for (int warm = 0; warm < 3; warm++) {
                saveTimes(store, saves);
            }
            for (int run = 0; run < 7; run++) {
                none.addAll(saveTimes(store, saves));
                List<Watch> watches = new ArrayList<>();
                for (int w = 0; w < 100; w++) {
                    watches.add(store.watch(w < 50 ? WatchRequest.key("hot") : WatchRequest.key("other.k" + w),
                            event -> { }));
                }
                hundred.addAll(saveTimes(store, saves));
                long head = store.revision();
                for (Watch watch : watches) {
                    while (watch.position() < head) {
                        Thread.sleep(1);
                    }
                    watch.close();
                }
            }
            double plain = median(none);
            double watched = median(hundred);
            results.row("1-key save, PROCESS, no watch", micros(plain), micros(percentile(none, 99)), "");
            results.row("1-key save, PROCESS, 100 watches (50 on the key written)", micros(watched),
                    micros(percentile(hundred, 99)), String.format(Locale.ROOT, "%.2fx the save without watches",
                            watched / plain));
        }
    }

    /** 8 SYNC writers with no watch, then with one whose listener sleeps 50 ms per event; alternating runs. */
    private void slowListener() throws Exception {
        try (ConfigStore store = ConfigStore.builder().path(work.resolve("slow")).actor("bench").open()) {
            List<Long> none = new ArrayList<>();
            List<Long> slow = new ArrayList<>();
            int each = 60;
            throughput(store, 8, each); // warm-up
            long delivered = 0;
            long committed = 0;
            for (int run = 0; run < 5; run++) {
                none.add(Math.round(throughput(store, 8, each)));
                List<Long> received = new java.util.concurrent.CopyOnWriteArrayList<>();
                long start = store.revision();
                try (Watch watch = store.watch(WatchRequest.everything(), event -> {
                    received.add(event.revision());
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })) {
                    slow.add(Math.round(throughput(store, 8, each)));
                    committed += store.revision() - start;
                    delivered += received.size();
                }
                for (int i = 1; i < received.size(); i++) {
                    if (received.get(i) != received.get(i - 1) + 1) {
                        throw new IllegalStateException("the slow listener missed a revision: " + received);
                    }
                }
            }
            double plain = median(none);
            double lagging = median(slow);
            results.row("8 SYNC writers, no watch", "", "", String.format(Locale.ROOT, "%.0f saves/s", plain));
            results.row("8 SYNC writers, a watch whose listener sleeps 50 ms per event", "", "", String.format(Locale.ROOT,
                    "%.0f saves/s = %.2fx without; the listener had %d of %d revisions when the writers finished,"
                            + " each in order", lagging, lagging / plain, delivered, committed));
        }
    }

    private static List<Long> saveTimes(ConfigStore store, int saves) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < saves; i++) {
            long t0 = System.nanoTime();
            store.put("hot", i);
            times.add((System.nanoTime() - t0) / 1000);
        }
        return times;
    }

    private static String millis(double micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000);
    }

}
