package dev.configstore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program the crash and multi-process tests run in a child JVM, and the helper that
 * starts it on the test class path.
 *
 * <p>Modes: {@code write DIR DURABILITY} commits increments of {@code counter} forever and
 * prints {@code ACK revision value} after each returned write; {@code join DIR} writes 20 keys
 * {@code child.k0..k19}, printing ACK, then waits until it sees {@code parent.done} and prints
 * {@code SEEN}; {@code increment DIR N} adds 1 to {@code shared} N times with compare-and-set,
 * retrying on conflicts, and after each writes {@code steady} = true (a write that changes nothing
 * and rolls back, but the first), then prints {@code DONE conflicts}; {@code open DIR} prints
 * {@code OPENING}, opens the store (migrating its schema if it is older) and prints {@code OPENED}.
 */
public final class ChildProcess {

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path directory = Path.of(args[1]);
        if (args[0].equals("write")) {
            try (ConfigStore store = ConfigStore.builder().path(directory)
                    .durability(Durability.valueOf(args[2])).actor("child").open()) {
                out.println("READY");
                for (int value = 1; ; value++) {
                    long revision = store.put("counter", value).revision();
                    out.println("ACK " + revision + " " + value);
                }
            }
        }
        if (args[0].equals("open")) {
            out.println("OPENING");
            try (ConfigStore store = ConfigStore.builder().path(directory).actor("child").open()) {
                out.println("OPENED " + store.revision());
            }
        }
        if (args[0].equals("increment")) {
            try (ConfigStore store = ConfigStore.builder().path(directory).actor("child").open()) {
                out.println("READY");
                int conflicts = 0;
                for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                    conflicts += increment(store);
                }
                out.println("DONE " + conflicts);
            }
        }
        if (args[0].equals("host")) {
            try (ConfigStore store = ConfigStore.builder().path(directory).actor("host").open()) {
                out.println("READY " + store.revision());
                Thread.sleep(Long.MAX_VALUE); // holds the file and serves others until it is killed
            }
        }
        if (args[0].equals("writeUntilStopped")) {
            writeUntilStopped(directory, args[2], out);
        }
        if (args[0].equals("join")) {
            try (ConfigStore store = ConfigStore.builder().path(directory).actor("child").open()) {
                out.println("READY");
                for (int i = 0; i < 20; i++) {
                    out.println("ACK " + store.put("child.k" + i, i).revision());
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (store.find("parent.done").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                out.println(store.find("parent.done").isPresent() ? "SEEN" : "TIMEOUT");
            }
        }
    }

    /**
     * Writes {@code PREFIX.k1 = 1}, {@code PREFIX.k2 = 2}, ... one after the other, printing
     * {@code ACK i} when a write returned and {@code FAIL i message} when it threw (then the
     * same write is tried again, as a careful application would), until a line arrives on
     * stdin; then closes the store and prints {@code DONE}.
     */
    private static void writeUntilStopped(Path directory, String prefix, PrintStream out) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try {
                System.in.read();
            } catch (java.io.IOException e) {
                // a closed stdin means stop too
            }
            stop.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("writer").open()) {
            out.println("READY " + store.revision());
            int i = 1;
            while (!stop.get()) {
                try {
                    store.put(prefix + ".k" + i, i);
                    out.println("ACK " + i);
                    i++;
                } catch (ConfigStoreException e) {
                    out.println("FAIL " + i + " " + e.getMessage().replace('\n', ' '));
                    Thread.sleep(50);
                }
            }
        }
        out.println("DONE");
    }

    /** Adds 1 to {@code shared} with compare-and-set; returns the number of conflicts met. */
    static int increment(ConfigStore store) {
        int conflicts = 0;
        while (true) {
            long seen = store.refresh();
            int value = store.find("shared", Integer.class).orElse(0);
            try {
                store.batch().set("current", "shared", value + 1).expectRevision(seen).commit();
                store.put("steady", true); // after the first time a write that changes nothing and rolls back
                return conflicts;
            } catch (VersionConflictException conflict) {
                conflicts++;
            }
        }
    }

    /** Starts {@code ChildProcess} with the given arguments in a new JVM. */
    static Process start(String... args) throws IOException {
        return startMain(ChildProcess.class.getName(), args);
    }

    /** Starts any main class of the test class path in a new JVM, as the launcher script would. */
    public static Process startMain(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dh2.bindAddress=127.0.0.1");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"); // the pool's start-up lines are noise in the test log
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    public static BufferedReader lines(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}
