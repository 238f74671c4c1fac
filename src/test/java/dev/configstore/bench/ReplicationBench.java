package dev.configstore.bench;

import static dev.configstore.bench.Results.median;
import static dev.configstore.bench.Results.micros;
import static dev.configstore.bench.Results.percentile;

import dev.configstore.ConfigStore;
import dev.configstore.Durability;
import dev.configstore.Replication;
import dev.configstore.health.StoreMetrics;
import dev.configstore.replication.PostgresPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's replication rows, on servers it starts (see {@link PostgresPair}): a 1-key save
 * on a synchronous pair against the same save on one server and against a raw insert + commit on
 * the pair; history reads by 8 threads from the primary only and from primary and standby; and
 * the time from a SIGKILL of the primary to the first acknowledged write on the promoted standby.
 */
final class ReplicationBench {

    private ReplicationBench() {
    }

    /** Writes {@code bench/replication-results-DATE.md} under the project directory given (default: here). */
    public static void main(String[] args) throws Exception {
        java.nio.file.Path project = java.nio.file.Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Results results = new Results();
        long start = System.nanoTime();
        run(results, rounds, rounds / 2);
        results.note(String.format(Locale.ROOT, "Servers started by the benchmark from the machine's PostgreSQL"
                + " binaries on loopback (fsync off: the figures compare the round trips, not the disks); %d"
                + " interleaved save rounds; the run took %d s.", rounds, (System.nanoTime() - start) / 1_000_000_000L));
        results.write(project, "configstore replication benchmark", "replication-results");
        System.exit(0); // the pools' threads are daemons, the servers are stopped; nothing to wait for
    }

    static void run(Results results, int rounds, int warmup) throws Exception {
        String reason = PostgresPair.unavailableReason();
        if (reason != null) {
            results.note("No replication figures: " + reason + ".");
            return;
        }
        try (PostgresPair pair = PostgresPair.start(true); PostgresPair single = PostgresPair.startSingle()) {
            saves(results, pair, single, rounds, warmup);
            reads(results, pair);
        }
        try (PostgresPair pair = PostgresPair.start(false)) {
            failoverTime(results, pair, 5);
        }
    }

    private static ConfigStore store(String url, Durability durability, String readUrl) {
        Replication replication = Replication.defaults().failoverTimeout(Duration.ofSeconds(20));
        return ConfigStore.builder().url(url).durability(durability).actor("bench")
                .replication(readUrl == null ? replication : replication.readUrl(readUrl)).open();
    }

    private static void saves(Results results, PostgresPair pair, PostgresPair single, int rounds, int warmup)
            throws Exception {
        Map<String, Benchmark.Save> saves = new LinkedHashMap<>();
        try (Connection floor = DriverManager.getConnection(pair.primary().url());
             ConfigStore replicated = store(pair.url(), Durability.REPLICATED, null);
             ConfigStore alone = store(single.url(), Durability.SYNC, null)) {
            try (Statement statement = floor.createStatement()) {
                statement.execute("CREATE TABLE floor_t (id BIGINT PRIMARY KEY, v VARCHAR(100))");
            }
            floor.setAutoCommit(false);
            PreparedStatement insert = floor.prepareStatement("INSERT INTO floor_t VALUES (?, ?)");
            for (ConfigStore store : List.of(replicated, alone)) {
                var batch = store.batch();
                for (int key = 0; key < 200; key++) {
                    batch.set(ConfigStore.MAIN_DOCUMENT, "key" + key, "value " + key);
                }
                batch.commit();
            }
            String floorName = "PostgreSQL synchronous pair: insert + commit (pair floor)";
            String pairName = "configstore 1-key save, REPLICATED, synchronous pair, 200-key document";
            String aloneName = "configstore 1-key save, SYNC, one server (same settings), 200-key document";
            saves.put(floorName, round -> {
                insert.setLong(1, round);
                insert.setString(2, "value " + round);
                insert.executeUpdate();
                floor.commit();
            });
            saves.put(pairName, round -> replicated.put("key7", round));
            saves.put(aloneName, round -> alone.put("key7", round));
            Map<String, List<Long>> timings = new LinkedHashMap<>();
            saves.keySet().forEach(name -> timings.put(name, new ArrayList<>()));
            for (int round = -warmup; round < rounds; round++) {
                for (Map.Entry<String, Benchmark.Save> save : saves.entrySet()) {
                    long t0 = System.nanoTime();
                    save.getValue().save(round + warmup);
                    if (round >= 0) {
                        timings.get(save.getKey()).add((System.nanoTime() - t0) / 1000);
                    }
                }
            }
            double pairFloor = median(timings.get(floorName));
            double aloneSave = median(timings.get(aloneName));
            timings.forEach((name, values) -> {
                double median = median(values);
                String note = name.equals(pairName) ? String.format(Locale.ROOT,
                        "%.1fx pair floor; %.2fx the save on one server", median / pairFloor, median / aloneSave) : "";
                results.row(name, micros(median), micros(percentile(values, 99)), note);
            });
        }
    }

    private static void reads(Results results, PostgresPair pair) throws Exception {
        try (ConfigStore writer = store(pair.url(), Durability.REPLICATED, null)) {
            for (int i = 0; i < 500; i++) {
                writer.put("read.k" + (i % 20), i);
            }
        }
        String both = pair.multiHost("&targetServerType=any&loadBalanceHosts=true");
        for (int attempt = 0; attempt < 2; attempt++) { // interleaved twice; the better of each counts
            for (String readUrl : new String[] {null, both}) {
                try (ConfigStore store = store(pair.url(), Durability.REPLICATED, readUrl)) {
                    double perSecond = readThroughput(store, 8, Duration.ofSeconds(3));
                    results.row("configstore history reads/s, 8 readers, " + (readUrl == null ? "primary only"
                            : "primary + standby (read URL)") + ", run " + (attempt + 1), "", "",
                            String.format(Locale.ROOT, "%.0f reads/s", perSecond));
                }
            }
        }
    }

    private static double readThroughput(ConfigStore store, int readers, Duration length) throws Exception {
        AtomicLong reads = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    store.history().revisions(20);
                    reads.incrementAndGet();
                }
            });
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(500); // warm-up
        long before = reads.get();
        long t0 = System.nanoTime();
        Thread.sleep(length.toMillis());
        double perSecond = (reads.get() - before) * 1e9 / (System.nanoTime() - t0);
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        return perSecond;
    }

    /** SIGKILL of the primary (postmaster) to the first acknowledged write, on an asynchronous pair. */
    private static void failoverTime(Results results, PostgresPair pair, int kills) throws Exception {
        AtomicLong firstRetry = new AtomicLong();
        StoreMetrics metrics = new StoreMetrics() {
            @Override
            public void writeRetried(String operation, boolean earlierCommitted) {
                firstRetry.compareAndSet(0, System.nanoTime());
            }
        };
        List<Long> total = new ArrayList<>();
        List<Long> detection = new ArrayList<>();
        List<Long> promotion = new ArrayList<>();
        List<Long> reconnect = new ArrayList<>();
        try (ConfigStore store = ConfigStore.builder().url(pair.url()).actor("bench").metrics(metrics)
                .replication(Replication.defaults().failoverTimeout(Duration.ofSeconds(20))).open()) {
            for (int kill = 0; kill < kills; kill++) {
                AtomicLong lastAck = new AtomicLong();
                AtomicBoolean running = new AtomicBoolean(true);
                Thread writer = new Thread(() -> {
                    for (int i = 0; running.get(); i++) {
                        store.put("failover", i);
                        lastAck.set(System.nanoTime());
                    }
                });
                writer.start();
                Thread.sleep(500);
                firstRetry.set(0);
                long killed = System.nanoTime();
                pair.killPrimary();
                long promoting = System.nanoTime();
                pair.promoteStandby();
                long promoted = System.nanoTime();
                long deadline = promoted + 60_000_000_000L;
                while (lastAck.get() < promoted && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                long acknowledged = lastAck.get();
                running.set(false);
                writer.join();
                total.add((acknowledged - killed) / 1000);
                detection.add(firstRetry.get() == 0 ? 0 : (firstRetry.get() - killed) / 1000);
                promotion.add((promoted - promoting) / 1000);
                reconnect.add((acknowledged - promoted) / 1000);
                pair.replaceDeadPrimary();
            }
        }
        results.row("failover: SIGKILL of the primary to the first acknowledged write (" + kills + " kills)",
                ms(median(total)), ms(max(total)), "max in the p99 column");
        results.row("failover: of that, the store notices (first failed attempt)", ms(median(detection)),
                ms(max(detection)), "");
        results.row("failover: of that, pg_ctl promote (the test's promotion)", ms(median(promotion)),
                ms(max(promotion)), "");
        results.row("failover: of that, promotion done to the first acknowledged write", ms(median(reconnect)),
                ms(max(reconnect)), "");
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.0f ms", micros / 1000);
    }

    private static double max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
