package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A child JVM commits in a loop and prints every acknowledged revision; the test kills it
 * with SIGKILL at a random moment, reopens the store and checks that every acknowledged
 * revision survived and the checksums verify. Twelve kills per durability mode.
 */
@Tag("slow")
class CrashDurabilityTest {

    private static final int KILLS_PER_MODE = 12;

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"SYNC", "PROCESS"}) // the replicated ones need PostgreSQL
    void killDashNine_atRandomMoments_losesNoAcknowledgedRevision(Durability durability) throws Exception {
        Path directory = temp.resolve("store");
        Random random = new Random(durability.ordinal() * 7919L + System.nanoTime());
        long lastAcknowledged = 0;
        int lastValue = 0;
        for (int trial = 0; trial < KILLS_PER_MODE; trial++) {
            Process child = ChildProcess.start("write", directory.toString(), durability.name());
            BufferedReader lines = ChildProcess.lines(child);
            assertThat(lines.readLine()).isEqualTo("READY");
            long killAfterNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(400));
            String line;
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                lastAcknowledged = Long.parseLong(parts[1]);
                lastValue = Integer.parseInt(parts[2]);
                if (System.nanoTime() >= killAfterNanos) {
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
                    break;
                }
            }
            child.waitFor(30, TimeUnit.SECONDS);
            // a line may have been written after the one we read; what we read was acknowledged

            long acknowledged = lastAcknowledged;
            int acknowledgedValue = lastValue;
            try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
                assertThat(store.revision()).as("trial %d head", trial).isGreaterThanOrEqualTo(acknowledged);
                assertThat(store.findAt("current", "counter", acknowledged).map(value -> value.asInt()))
                        .as("trial %d value at acknowledged revision %d", trial, acknowledged)
                        .contains(acknowledgedValue);
                assertThat(store.health().verify().mismatches()).as("trial %d verify", trial).isEmpty();
            }
        }
        assertThat(lastAcknowledged).isGreaterThan(KILLS_PER_MODE);
    }
}
