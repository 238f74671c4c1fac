package dev.configstore.bench;

import dev.configstore.ConfigStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** What the benchmarks share: the table of rows and notes they write, and the statistics. */
final class Results {

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** Adds a row and prints it as it comes. */
    void row(String what, String median, String p99, String note) {
        rows.add(new String[] {what, median, p99, note});
        System.out.printf("%-70s %12s %12s  %s%n", what, median, p99, note);
    }

    void note(String note) {
        notes.add(note);
    }

    /** Writes {@code bench/PREFIX-DATE.md} under the project: the title, the machine, the table, the notes. */
    void write(Path project, String title, String prefix) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(title).append(' ').append(LocalDate.now()).append("\n\n");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
                .append(". Command: `./mvnw -Pbench verify`.\n\n");
        out.append("| measurement | median | p99 | notes |\n| --- | --- | --- | --- |\n");
        for (String[] row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        out.append('\n');
        notes.forEach(note -> out.append("- ").append(note).append('\n'));
        Path file = project.resolve("bench").resolve(prefix + "-" + LocalDate.now() + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        System.out.println("written to " + file);
    }

    static String micros(double value) {
        return String.format(Locale.ROOT, "%,.0f µs", value);
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.isEmpty() ? -1 : sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Saves per second of {@code writers} threads each putting its own key {@code savesEach} times, started together. */
    static double throughput(ConfigStore store, int writers, int savesEach) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String key = "writer" + w;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < savesEach; i++) {
                    store.put(key, i);
                }
                return null;
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<?> future : done) {
            future.get();
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        return writers * (double) savesEach / (elapsed / 1e9);
    }
}
