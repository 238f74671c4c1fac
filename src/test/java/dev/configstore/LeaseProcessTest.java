package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.lock.Lease;
import dev.configstore.lock.LeaseHeldException;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases across real processes sharing one H2 file. */
@Tag("slow")
class LeaseProcessTest {

    @TempDir
    Path temp;

    @Test
    void twoJvmsContending_neverHoldTheLeaseAtTheSameTime() throws Exception {
        Path directory = temp.resolve("store");
        Path log = temp.resolve("acquisitions.log");
        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            store.put("ready", true); // create the store before the children join
            List<Process> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                children.add(ChildProcess.startMain(LeaseChild.class.getName(), "contend", directory.toString(),
                        "calibration", "40", log.toString()));
            }
            for (Process child : children) {
                BufferedReader lines = ChildProcess.lines(child);
                assertThat(lines.readLine()).isEqualTo("READY");
                assertThat(lines.readLine()).isEqualTo("DONE");
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2 * 2 * 40);
        // the log is in the order the lines were written: an acquire must always follow a release
        String holder = null;
        long pids = lines.stream().map(line -> line.split(" ")[1]).distinct().count();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts[0].equals("A")) {
                assertThat(holder).as("acquired while %s held it: %s", holder, line).isNull();
                holder = parts[1];
            } else {
                assertThat(parts[1]).isEqualTo(holder);
                holder = null;
            }
        }
        assertThat(pids).isEqualTo(2);
    }

    @Test
    void aHolderKilledWithKill9_losesTheLeaseOnceItsTtlExpires() throws Exception {
        Path directory = temp.resolve("store");
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("survivor").open()) {
            store.put("ready", true);
            Process holder = ChildProcess.startMain(LeaseChild.class.getName(), "hold", directory.toString(),
                    "calibration", "3000");
            String line = ChildProcess.lines(holder).readLine();
            assertThat(line).startsWith("HELD ");
            long expiresAt = Long.parseLong(line.split(" ")[2]);
            holder.destroyForcibly(); // SIGKILL: no release, no shutdown hook
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> store.locks().acquire("calibration", Duration.ofSeconds(5)))
                    .isInstanceOf(LeaseHeldException.class);
            try (Lease lease = store.locks().acquire("calibration", Duration.ofSeconds(5), Duration.ofSeconds(20))) {
                // measured against the lease's own expiry, which the holder set when it took the lease
                // (the moment it printed HELD can be later: its write had to reach the disk first)
                long takenOver = System.currentTimeMillis();
                assertThat(takenOver).as("taken over only after the holder's lease expired")
                        .isGreaterThanOrEqualTo(expiresAt);
                assertThat(store.history().query("SELECT actor, error FROM operations"
                        + " WHERE operation = 'lease-takeover'", 5).rows()).singleElement()
                        .satisfies(row -> assertThat(row.get(1)).contains("took over the stale lease of child-"));
            }
        }
    }
}
