package dev.configstore.bench;

import dev.configstore.ConfigStore;
import dev.configstore.Durability;
import dev.configstore.internal.DefaultConfigStore;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A quick side-by-side measurement (not a test): median latency of a raw 4 KB write + fsync
 * and of a 1-key save on a 200-key document in SYNC and PROCESS mode, interleaved in one run,
 * after a warm-up of the write path.
 * Run with the test class path: {@code java -cp ... dev.configstore.bench.QuickSaveBench}.
 */
public final class QuickSaveBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path temp = Files.createTempDirectory("quickbench");
        Map<String, Object> doc = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            doc.put("key" + i, i);
        }
        long[] raw = new long[rounds];
        long[] sync = new long[rounds];
        long[] process = new long[rounds];
        try (ConfigStore syncStore = ConfigStore.builder().path(temp.resolve("sync")).open();
             ConfigStore processStore = ConfigStore.builder().path(temp.resolve("process"))
                     .durability(Durability.PROCESS).open();
             FileChannel channel = FileChannel.open(temp.resolve("raw.bin"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE)) {
            syncStore.batch().replace("current", doc).commit();
            processStore.batch().replace("current", doc).commit();
            ByteBuffer block = ByteBuffer.allocate(4096);
            for (int i = 0; i < warmup; i++) { // let the JIT compile the write path first
                syncStore.put("key" + (i % 200), i);
                processStore.put("key" + (i % 200), i);
            }
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                block.clear();
                channel.write(block, 0);
                channel.force(true);
                raw[i] = System.nanoTime() - start;
                start = System.nanoTime();
                syncStore.put("key" + (i % 200), -i);
                sync[i] = System.nanoTime() - start;
                start = System.nanoTime();
                processStore.put("key" + (i % 200), -i);
                process[i] = System.nanoTime() - start;
            }
        }
        long rawMedian = median(raw);
        double single = throughput(temp.resolve("one"), 1, 2000);
        double eight = throughput(temp.resolve("eight"), 8, 250);
        System.out.printf("SYNC throughput: 1 writer %.0f saves/s, 8 writers %.0f saves/s (%.2fx)%n", single, eight,
                eight / single);
        System.out.printf("raw 4KB write+fsync  median %6d us%n", rawMedian / 1000);
        System.out.printf("1-key save SYNC      median %6d us  (%.1fx raw)%n", median(sync) / 1000,
                median(sync) / (double) rawMedian);
        System.out.printf("1-key save PROCESS   median %6d us  (%.1fx raw)%n", median(process) / 1000,
                median(process) / (double) rawMedian);
        System.out.printf("p99: raw %d us, SYNC %d us, PROCESS %d us%n", percentile(raw, 99) / 1000,
                percentile(sync, 99) / 1000, percentile(process, 99) / 1000);
    }

    /** Saves per second of {@code writers} threads, each doing {@code saves} 1-key saves in SYNC mode. */
    private static double throughput(Path directory, int writers, int saves) throws Exception {
        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            for (int i = 0; i < 500; i++) {
                store.put("warm" + (i % 50), i);
            }
            long[] before = ((DefaultConfigStore) store).syncCounters();
            Thread[] threads = new Thread[writers];
            long start = System.nanoTime();
            for (int t = 0; t < writers; t++) {
                String prefix = "writer" + t + ".key";
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < saves; i++) {
                        store.put(prefix + (i % 50), i);
                    }
                });
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] after = ((DefaultConfigStore) store).syncCounters();
            System.out.printf("  %d writer(s): %d commits shared %d syncs%n", writers, after[1] - before[1],
                    after[0] - before[0]);
            return writers * saves / seconds;
        }
    }

    private static long median(long[] samples) {
        return percentile(samples, 50);
    }

    private static long percentile(long[] samples, int percent) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }
}
