package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.history.KeyChange;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchRequest;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A watch in this JVM follows 2,000 revisions written by a child JVM (on H2 through the
 * auto-server of this process's store, on PostgreSQL through the child's own pool): every
 * revision that changes a key under the watched prefix arrives once, in order, with the same
 * changes the history's diff of that revision shows.
 */
@Tag("slow")
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class WatchProcessTest {

    @RegisterExtension
    final StoreExtension extension;

    WatchProcessTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create());
    }

    @Test
    void aWatchSeesEveryChangeAnotherProcessCommits_once_inOrder_withNoGap() throws Exception {
        ConfigStore store = extension.store();
        store.put("vision.camera.fps", 0);
        store.profiles().create(ProfileDefinition.named("table-3").extending("current"));
        long start = store.revision();
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        try (Watch watch = store.watch(WatchRequest.key("vision"), events::add)) {
            List<String> command = new ArrayList<>(List.of("write", "2000"));
            command.addAll(extension.backend().forChild());
            Process child = ChildProcess.startMain(WatchChild.class.getName(), command.toArray(String[]::new));
            long head;
            try {
                BufferedReader lines = ChildProcess.lines(child);
                assertThat(lines.readLine()).isEqualTo("READY");
                String done = lines.readLine();
                assertThat(done).as("the child's last line").startsWith("DONE ");
                head = Long.parseLong(done.substring(5));
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).isZero();
            } finally {
                child.destroyForcibly();
            }
            WatchContractTest.await(() -> watch.position() >= head, "the watch reaches revision " + head);

            List<String> expected = new ArrayList<>();
            for (long revision = start + 1; revision <= head; revision++) {
                for (KeyChange change : store.history().diff("current", revision - 1, revision).changes()) {
                    String key = change.key().toString();
                    if (key.equals("vision") || key.startsWith("vision.")) {
                        expected.add(line(revision, change));
                    }
                }
            }
            List<String> received = new ArrayList<>();
            for (WatchEvent event : events) {
                for (KeyChange change : event.changes()) {
                    received.add(line(event.revision(), change));
                }
            }
            assertThat(events).extracting(WatchEvent::revision).isSorted().doesNotHaveDuplicates();
            assertThat(events).allSatisfy(event -> assertThat(event.actor()).isEqualTo("child"));
            assertThat(received).hasSizeGreaterThan(1500).containsExactlyElementsOf(expected);
        }
    }

    private static String line(long revision, KeyChange change) {
        return revision + " " + change.kind() + " " + change.key() + " "
                + change.oldValue().map(JsonNode::toString).orElse("-") + " "
                + change.newValue().map(JsonNode::toString).orElse("-");
    }
}
