package dev.configstore;

import dev.configstore.lock.Lease;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The program the lease tests run in child JVMs. Modes:
 * {@code contend DIR NAME ROUNDS LOG}: takes the lease ROUNDS times, appending
 * {@code A pid millis} right after each acquire and {@code R pid millis} right before each
 * release to LOG; {@code hold DIR NAME TTL_MILLIS}: takes the lease, prints its id and sleeps.
 */
public final class LeaseChild {

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path directory = Path.of(args[1]);
        String name = args[2];
        long pid = ProcessHandle.current().pid();
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("child-" + pid).open()) {
            if (args[0].equals("contend")) {
                int rounds = Integer.parseInt(args[3]);
                Path log = Path.of(args[4]);
                out.println("READY");
                for (int round = 0; round < rounds; round++) {
                    try (Lease lease = store.locks().acquire(name, Duration.ofSeconds(20), Duration.ofSeconds(60))) {
                        append(log, "A " + pid + " " + System.currentTimeMillis());
                        Thread.sleep(5 + round % 20);
                        append(log, "R " + pid + " " + System.currentTimeMillis());
                    }
                }
                out.println("DONE");
            } else {
                Lease lease = store.locks().acquire(name, Duration.ofMillis(Long.parseLong(args[3])));
                out.println("HELD " + lease.id() + " " + lease.expiresAt().toEpochMilli());
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    private static void append(Path log, String line) throws java.io.IOException {
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }
}
