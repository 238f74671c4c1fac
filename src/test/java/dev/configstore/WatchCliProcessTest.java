package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.configstore.history.KeyChange;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch command as a real process beside a writer: killed with {@code kill -9} partway and
 * started again after the last revision it printed, the two runs together print the whole
 * matching history; the second run ends with exit 0 on SIGTERM.
 */
@Tag("slow")
class WatchCliProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void killedAndResumed_printsEveryChangeOfTheKey_andSigtermExitsZero() throws Exception {
        Path directory = temp.resolve("store");
        try (ConfigStore store = ConfigStore.builder().path(directory).actor("writer").open()) {
            store.put("vision.camera.fps", 0);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<Long> written = writer.submit(() -> {
                long head = 0;
                for (int i = 1; i <= 400; i++) {
                    head = (i % 3 == 0 ? store.put("audio.volume", i) : store.put("vision.camera.fps", i)).revision();
                    Thread.sleep(5);
                }
                return head;
            });
            writer.shutdown();

            Process first = watch(directory, "0");
            List<String> firstLines = new ArrayList<>();
            BufferedReader firstOut = ChildProcess.lines(first);
            while (firstLines.size() < 60) {
                String line = firstOut.readLine();
                assertThat(line).as("the first watcher's output").isNotNull();
                firstLines.add(line);
            }
            first.destroyForcibly(); // kill -9
            first.waitFor(10, TimeUnit.SECONDS);
            long last = JSON.readTree(firstLines.get(firstLines.size() - 1)).get("revision").asLong();

            Process second = watch(directory, Long.toString(last));
            long head = written.get(120, TimeUnit.SECONDS);
            List<String> secondLines = new ArrayList<>();
            BufferedReader secondOut = ChildProcess.lines(second);
            long seen = last;
            while (seen < lastVisionRevision(store, head)) {
                String line = secondOut.readLine();
                assertThat(line).as("the second watcher's output").isNotNull();
                secondLines.add(line);
                seen = JSON.readTree(line).get("revision").asLong();
            }
            second.destroy(); // SIGTERM
            assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as("exit status after SIGTERM").isZero();

            Set<String> union = new LinkedHashSet<>();
            for (String line : firstLines) {
                union.add(summary(JSON.readTree(line)));
            }
            for (String line : secondLines) {
                union.add(summary(JSON.readTree(line)));
            }
            List<String> expected = new ArrayList<>();
            for (long revision = 1; revision <= head; revision++) {
                for (KeyChange change : store.history().diff("current", revision - 1, revision).changes()) {
                    if (change.key().toString().startsWith("vision.")) {
                        expected.add(revision + " " + change.kind() + " " + change.key() + " "
                                + change.oldValue().map(JsonNode::toString).orElse("null") + " "
                                + change.newValue().map(JsonNode::toString).orElse("null"));
                    }
                }
            }
            assertThat(new ArrayList<>(union)).containsExactlyElementsOf(expected);
            assertThat(secondLines).allSatisfy(line -> assertThat(JSON.readTree(line).get("revision").asLong())
                    .isGreaterThan(last));
        }
    }

    private static long lastVisionRevision(ConfigStore store, long head) {
        long last = 0;
        for (long revision = head; revision > 0 && last == 0; revision--) {
            if (!store.history().diff("current", revision - 1, revision).changes().stream()
                    .filter(change -> change.key().toString().startsWith("vision.")).toList().isEmpty()) {
                last = revision;
            }
        }
        return last;
    }

    private static String summary(JsonNode line) {
        return line.get("revision").asLong() + " " + line.get("kind").asText() + " " + line.get("key").asText() + " "
                + line.get("old") + " " + line.get("new");
    }

    private static Process watch(Path directory, String afterRevision) throws IOException {
        return ChildProcess.startMain("dev.configstore.cli.Main", "--store", directory.toString(), "watch", "vision",
                "--from-revision", afterRevision);
    }
}
