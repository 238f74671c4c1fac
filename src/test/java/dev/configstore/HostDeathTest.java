package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM hosts the store's auto-server while another child, joined through it, writes
 * without pause; the host is killed with SIGKILL at a random moment. The writer must recover
 * (it becomes the host), go on writing, and in the end the store holds exactly the writes it
 * acknowledged: none lost, none applied twice, none it did not report.
 */
@Tag("slow")
class HostDeathTest {

    private static final int TRIALS = 20;

    @TempDir
    Path temp;

    @Test
    void hostKilledWithKill9_writerRecovers_andExactlyTheAcknowledgedWritesAreStored() throws Exception {
        Path directory = temp.resolve("store");
        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            store.put("created", true);
        }
        Random random = new Random();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> acknowledgedPerTrial = new TreeMap<>();
        List<Long> recoveries = new ArrayList<>();
        for (int trial = 1; trial <= TRIALS; trial++) {
            Process host = ChildProcess.start("host", directory.toString());
            Process writer = null;
            try {
                BufferedReader hostLines = ChildProcess.lines(host);
                assertThat(hostLines.readLine()).startsWith("READY");
                writer = ChildProcess.start("writeUntilStopped", directory.toString(), "t" + trial);
                BufferedReader lines = ChildProcess.lines(writer);
                assertThat(lines.readLine()).startsWith("READY");
                int acknowledged = 0;
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(500));
                boolean killed = false;
                long killedAt = 0;
                int afterKill = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acknowledged = Integer.parseInt(line.substring(4));
                        if (killed) {
                            if (afterKill == 0) {
                                recoveries.add((System.nanoTime() - killedAt) / 1_000_000);
                            }
                            afterKill++;
                        }
                    } else if (line.startsWith("FAIL ")) {
                        failures.add("trial " + trial + ": " + line);
                    }
                    if (!killed && System.nanoTime() >= killAt) {
                        host.destroyForcibly(); // SIGKILL
                        host.waitFor(10, TimeUnit.SECONDS);
                        killed = true;
                        killedAt = System.nanoTime();
                    }
                    if (afterKill >= 20 || System.nanoTime() > deadline) {
                        break;
                    }
                }
                assertThat(afterKill).as("trial %d: acknowledged writes after the host was killed", trial)
                        .isGreaterThanOrEqualTo(20);
                try (OutputStream stop = writer.getOutputStream()) {
                    stop.write('\n');
                }
                while ((line = lines.readLine()) != null && !line.equals("DONE")) {
                    if (line.startsWith("ACK ")) {
                        acknowledged = Integer.parseInt(line.substring(4));
                    } else if (line.startsWith("FAIL ")) {
                        failures.add("trial " + trial + ": " + line);
                    }
                }
                assertThat(line).as("trial %d: the writer closed its store", trial).isEqualTo("DONE");
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
                acknowledgedPerTrial.put(trial, acknowledged);
            } finally {
                host.destroyForcibly();
                if (writer != null) {
                    writer.destroyForcibly();
                }
            }
        }

        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            for (Map.Entry<Integer, Integer> trial : acknowledgedPerTrial.entrySet()) {
                JsonNode written = store.document("current").orElseThrow().tree().path("t" + trial.getKey());
                List<Integer> expected = new ArrayList<>();
                List<Integer> actual = new ArrayList<>();
                for (int i = 1; i <= trial.getValue(); i++) {
                    expected.add(i);
                }
                written.fieldNames().forEachRemaining(name -> actual.add(written.get(name).asInt()));
                actual.sort(null);
                assertThat(actual).as("trial %d: stored writes", trial.getKey()).isEqualTo(expected);
            }
            assertThat(store.health().verify().isClean()).isTrue();
        }
        System.out.println("host-death trials: " + TRIALS + ", acknowledged writes: "
                + acknowledgedPerTrial.values().stream().mapToInt(Integer::intValue).sum() + ", failed attempts"
                + " reported (then retried by the writer): " + failures.size() + ", milliseconds from the kill to the"
                + " next acknowledged write: " + recoveries);
    }
}
