package dev.configstore.replication;

import dev.configstore.ChildProcess;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.WriteResult;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writers that commit continuously, each write a key of its own ({@code PREFIX.tI.nK}), and
 * what each caller was told: acknowledged with a revision, reported unchanged, or failed.
 * Threads of one store in this JVM, and optionally a command-line writer in a child JVM.
 */
final class WriteLoad {

    /** What the callers were told, over all rounds. */
    static final class Ledger {
        final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        final Map<String, String> failed = new ConcurrentHashMap<>();
        final Map<String, Long> unchanged = new ConcurrentHashMap<>();
        /** Compare-and-set increments of {@code cas.counter} that were acknowledged. */
        final java.util.concurrent.atomic.AtomicLong increments = new java.util.concurrent.atomic.AtomicLong();
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private Process cli;
    private Thread cliReader;

    private WriteLoad() {
    }

    /** Starts {@code threads} writers on {@code store}, and a CLI writer on {@code cliUrl} when it is not null. */
    static WriteLoad start(ConfigStore store, int threads, String prefix, Ledger ledger, String cliUrl,
                           String cliDurability) throws Exception {
        WriteLoad load = new WriteLoad();
        for (int t = 1; t <= threads; t++) {
            String keys = prefix + ".t" + t;
            Thread writer = new Thread(() -> load.write(store, keys, ledger), "writer-" + keys);
            load.threads.add(writer);
            writer.start();
        }
        Thread increments = new Thread(() -> load.increment(store, ledger), "writer-" + prefix + ".cas");
        load.threads.add(increments);
        increments.start();
        if (cliUrl != null) {
            load.cli = ChildProcess.startMain(CliWriter.class.getName(), cliUrl, prefix + ".cli", cliDurability, "20");
            BufferedReader lines = ChildProcess.lines(load.cli);
            if (!"READY".equals(lines.readLine())) {
                throw new IllegalStateException("the CLI writer did not start");
            }
            load.cliReader = new Thread(() -> read(lines, ledger), "cli-reader-" + prefix);
            load.cliReader.start();
        }
        return load;
    }

    private void write(ConfigStore store, String keys, Ledger ledger) {
        for (int k = 1; running.get(); k++) {
            String key = keys + ".n" + k;
            try {
                WriteResult result = store.put(key, k);
                (result.changed() ? ledger.acknowledged : ledger.unchanged).put(key, result.revision());
            } catch (ConfigStoreException e) {
                ledger.failed.put(key, e.getMessage());
            }
        }
    }

    /** Adds one to {@code cas.counter} with compare-and-set against the revision it read, again on a conflict. */
    private void increment(ConfigStore store, Ledger ledger) {
        while (running.get()) {
            try {
                long head = store.refresh();
                int value = store.find("cas.counter", Integer.class).orElse(0);
                store.batch().set(ConfigStore.MAIN_DOCUMENT, "cas.counter", value + 1).expectRevision(head).commit();
                ledger.increments.incrementAndGet();
            } catch (ConfigStoreException e) {
                // a conflict (another write came between) or a failed write: not counted, try again
            }
        }
    }

    private static void read(BufferedReader lines, Ledger ledger) {
        try {
            for (String line = lines.readLine(); line != null && !line.equals("STOPPED"); line = lines.readLine()) {
                String[] words = line.split(" ", 4);
                if (words[0].equals("ACK")) {
                    ledger.acknowledged.put(words[1], Long.parseLong(words[2]));
                } else if (words[0].equals("FAIL")) {
                    ledger.failed.put(words[1], words.length > 3 ? words[3] : words[2]);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stops the writers after their current write and waits for them. */
    void stop() throws Exception {
        running.set(false);
        if (cli != null) {
            try (OutputStream stdin = cli.getOutputStream()) {
                stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(Long.getLong("configstore.failover.stopSeconds", 90)));
            if (thread.isAlive()) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement frame : thread.getStackTrace()) {
                    stack.append("\n    at ").append(frame);
                }
                throw new AssertionError(thread.getName() + " still writes 90 s after it was asked to stop: a write"
                        + " hangs" + stack);
            }
        }
        if (cli != null) {
            cliReader.join(TimeUnit.SECONDS.toMillis(90));
            if (!cli.waitFor(30, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new AssertionError("the CLI writer did not stop: a write hangs");
            }
        }
    }
}
