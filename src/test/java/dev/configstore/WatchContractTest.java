package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.health.HealthLevel;
import dev.configstore.health.HealthMonitor;
import dev.configstore.health.HealthReport;
import dev.configstore.health.HealthThresholds;
import dev.configstore.health.StoreMetrics;
import dev.configstore.history.KeyChange;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.watch.LiveValue;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchListener;
import dev.configstore.watch.WatchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Watches, live values and the health monitor, on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class WatchContractTest {

    /** Listener failures the metrics hook saw, by kind. */
    static final List<String> FAILURES = Collections.synchronizedList(new ArrayList<>());

    /** Thresholds that do not depend on the machine's free disk. */
    static final HealthThresholds THRESHOLDS = new HealthThresholds(0, 0, Duration.ofDays(7), Duration.ofMinutes(5), 3);

    @RegisterExtension
    final StoreExtension extension;

    WatchContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create(), builder -> builder.healthThresholds(THRESHOLDS)
                .metrics(new StoreMetrics() {
                    @Override
                    public void listenerFailed(String listener, Throwable error) {
                        FAILURES.add(listener);
                    }
                }));
    }

    ConfigStore store() {
        return extension.store();
    }

    /** Collects events. */
    static final class Recorder implements WatchListener {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final List<ConfigStoreException> failures = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onFailure(ConfigStoreException failure) {
            failures.add(failure);
        }

        List<Long> revisions() {
            return events.stream().map(WatchEvent::revision).toList();
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (WatchEvent event : events) {
                for (KeyChange change : event.changes()) {
                    lines.add(event.revision() + " " + change.kind() + " " + change.key() + " "
                            + change.oldValue().map(JsonNode::toString).orElse("-") + " "
                            + change.newValue().map(JsonNode::toString).orElse("-"));
                }
            }
            return lines;
        }
    }

    /** Waits up to 20 s for a condition that the store's threads make true. */
    static void await(BooleanSupplier condition, Object what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 20 s: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aKeyWatch_getsEveryRevisionThatTouchesTheKey_inOrder_once_withTheChangesInsideIt() {
        store().put("vision.camera.fps", 30);
        Recorder recorder = new Recorder();
        try (Watch watch = store().watch(WatchRequest.key("vision.camera"), recorder)) {
            long first = store().put("vision.camera.fps", 60).revision();
            store().put("audio.volume", 3); // outside the key
            long both = store().batch().set("current", "vision.camera.device", "cam-1")
                    .set("current", "audio.volume", 4).set("current", "vision.camera.fps", 25).commit().revision();
            store().put("vision.cameras", "not below vision.camera");
            long removed = store().unset("vision.camera.device").revision();
            long replaced = store().put("vision", 7).revision();

            await(() -> watch.position() == replaced, "the watch reaches the head");
            assertThat(recorder.revisions()).containsExactly(first, both, removed, replaced);
            assertThat(recorder.lines()).containsExactly(
                    first + " CHANGED vision.camera.fps 30 60",
                    both + " ADDED vision.camera.device - \"cam-1\"",
                    both + " CHANGED vision.camera.fps 60 25",
                    removed + " REMOVED vision.camera.device \"cam-1\" -",
                    replaced + " REMOVED vision.camera.fps 25 -");
            WatchEvent event = recorder.events.get(0);
            assertThat(event.actor()).isEqualTo("tester");
            assertThat(event.operation()).isEqualTo("set");
            assertThat(event.committedAt()).isEqualTo(StoreExtension.NOW);
        }
    }

    @Test
    void aPollThatReadsWhileThisProcessCommits_doesNotStopAHealthyWatch() {
        // the poll runs every millisecond while this store's own commits move the head it knows:
        // a poll whose read began before a commit must not take that commit for one the
        // database lost. The window is narrow: this stresses it, it does not catch it every time
        // (four runs against the unfixed check passed; the CI failure that found it was on PostgreSQL)
        try (ConfigStore eager = extension.backend().sameStore().watchPollInterval(Duration.ofMillis(1)).open()) {
            Recorder recorder = new Recorder();
            try (Watch watch = eager.watch(WatchRequest.everything(), recorder)) {
                long last = 0;
                for (int i = 0; i < 300; i++) {
                    last = eager.put("k", i).revision();
                }
                long head = last;
                await(() -> watch.position() == head || !recorder.failures.isEmpty(), "the watch reaches the head");
                assertThat(recorder.failures).isEmpty();
                assertThat(recorder.events).hasSize(300);
            }
        }
    }

    @Test
    void aWatchFromAnEarlierRevision_replaysEveryMatchingChangeAfterIt_thenFollowsNewOnes() {
        long start = store().put("a", 1).revision();
        for (int i = 2; i <= 40; i++) {
            store().put(i % 2 == 0 ? "a" : "b", i);
        }
        Recorder recorder = new Recorder();
        try (Watch watch = store().watch(WatchRequest.key("a").after(start), recorder)) {
            long last = store().put("a", 100).revision();
            await(() -> watch.position() == last, "the head");
            List<String> values = recorder.events.stream()
                    .map(event -> event.changes().get(0).newValue().orElseThrow().asText()).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 2; i <= 40; i += 2) {
                expected.add(Integer.toString(i));
            }
            expected.add("100");
            assertThat(values).containsExactlyElementsOf(expected);
            assertThat(recorder.revisions()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aWatchOfTheWholeDocument_fromRevisionZero_seesTheDocumentAppearAndGo() {
        store().put("profiles-are-elsewhere", true);
        store().profiles().create(ProfileDefinition.named("table-3"));
        store().put("table-3", "cue.tip", "soft");
        long deleted = store().delete("table-3").revision();
        Recorder recorder = new Recorder();
        try (Watch watch = store().watch(WatchRequest.everything().in("table-3").after(0), recorder)) {
            await(() -> watch.position() == deleted, "the head");
            assertThat(recorder.lines()).containsExactly(
                    (deleted - 1) + " ADDED cue.tip - \"soft\"",
                    deleted + " REMOVED cue.tip \"soft\" -");
            assertThat(recorder.events).allSatisfy(event -> assertThat(event.changes())
                    .allSatisfy(change -> assertThat(change.document()).isEqualTo("table-3")));
        }
    }

    @Test
    void aProfileWatch_firesWhenOnlyItsParentChanges_withResolvedValues() {
        store().profiles().create(ProfileDefinition.named("base"));
        store().batch().set("base", "speed", 1).set("base", "color", "red").commit();
        store().profiles().create(ProfileDefinition.named("table-3").extending("base"));
        store().put("table-3", "color", "blue");
        Recorder recorder = new Recorder();
        try (Watch watch = store().watch(WatchRequest.everything().in("table-3"), recorder)) {
            long parentSpeed = store().put("base", "speed", 2).revision();
            store().put("base", "color", "green"); // the child overrides it: no resolved change
            long childDrops = store().unset("table-3", "color").revision(); // the parent's value shows through
            store().profiles().create(ProfileDefinition.named("other"));
            store().put("other", "speed", 9);
            long reparent = store().profiles().setParent("table-3", "other").revision();

            await(() -> watch.position() == reparent, "the head");
            assertThat(recorder.lines()).containsExactly(
                    parentSpeed + " CHANGED speed 1 2",
                    childDrops + " CHANGED color \"blue\" \"green\"",
                    reparent + " REMOVED color \"green\" -",
                    reparent + " CHANGED speed 2 9");
        }
    }

    @Test
    void aListenerThatIsBlocked_neitherBlocksWritersNorLosesEvents() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder recorder = new Recorder();
        WatchListener blocked = event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            recorder.onEvent(event);
        };
        Recorder other = new Recorder();
        try (Watch slow = store().watch(WatchRequest.everything(), blocked);
             Watch fast = store().watch(WatchRequest.everything(), other)) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 13; i++) {
                        store().put("w" + writer, i);
                    }
                }));
            }
            writers.shutdown();
            // the writers finish while the first event is still held by its listener
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            for (Future<?> writer : done) {
                writer.get(); // none failed
            }
            long head = store().revision();
            await(() -> fast.position() == head, "the other watch reaches the head");
            assertThat(other.revisions()).hasSize(104).isSorted().doesNotHaveDuplicates();
            assertThat(recorder.events).isEmpty();

            release.countDown();
            await(() -> slow.position() == head, "the blocked watch catches up");
            assertThat(recorder.revisions()).isEqualTo(other.revisions());
        }
    }

    @Test
    void aListenerThatThrowsOnEveryEvent_isCounted_andItsWatchAndOthersGoOn() {
        FAILURES.clear();
        AtomicInteger calls = new AtomicInteger();
        Recorder other = new Recorder();
        try (Watch throwing = store().watch(WatchRequest.everything(), event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        }); Watch fine = store().watch(WatchRequest.everything(), other)) {
            for (int i = 0; i < 5; i++) {
                store().put("k", i);
            }
            long head = store().revision();
            await(() -> throwing.position() == head && fine.position() == head, "both watches reach the head");
            assertThat(calls).hasValue(5);
            assertThat(other.events).hasSize(5);
            assertThat(throwing.isOpen()).isTrue();
            assertThat(FAILURES).containsExactly("watch", "watch", "watch", "watch", "watch");
        }
    }

    @Test
    void aListenerThatThrowsAnError_getsEachEventOnce_andItsWatchGoesOn() {
        List<Long> calls = new CopyOnWriteArrayList<>();
        try (Watch watch = store().watch(WatchRequest.everything(), event -> {
            calls.add(event.revision());
            throw new AssertionError("a failed check inside the listener");
        })) {
            for (int i = 0; i < 3; i++) {
                store().put("k", i);
            }
            long head = store().revision();
            await(() -> watch.position() == head, "the head");
            assertThat(calls).containsExactly(head - 2, head - 1, head);
            assertThat(watch.isOpen()).isTrue();
        }
    }

    @Test
    void aStartBelowTheHistoryFloor_failsAtOnce_namingTheFloor() {
        for (int i = 0; i < 10; i++) {
            store().put("k", i);
        }
        store().history().compactKeepingNewest(3);
        long floor = store().revision() - 2;

        assertThatThrownBy(() -> store().watch(WatchRequest.key("k").after(2), new Recorder()))
                .isInstanceOfSatisfying(HistoryCompactedException.class, e -> {
                    assertThat(e.floor()).isEqualTo(floor);
                    assertThat(e.requested()).isEqualTo(2);
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                })
                .hasMessageContaining("revision 2 was compacted").hasMessageContaining("starts at revision " + floor);
        Recorder fromFloor = new Recorder();
        try (Watch watch = store().watch(WatchRequest.key("k").after(floor), fromFloor)) {
            await(() -> watch.position() == store().revision(), "the head");
            assertThat(fromFloor.events).hasSize(2);
        }
    }

    @Test
    void aWatchBehindACompaction_failsWithTheTypedError_neverSkips() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Recorder recorder = new Recorder();
        WatchListener held = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                recorder.onEvent(event);
            }

            @Override
            public void onFailure(ConfigStoreException failure) {
                recorder.onFailure(failure);
            }
        };
        long start = store().put("k", 0).revision();
        try (Watch watch = store().watch(WatchRequest.key("k").after(start), held)) {
            // more than the watches keep in memory (16 MB of values), so the watch must read the database again
            String large = "x".repeat(900_000);
            for (int i = 1; i <= 40; i++) {
                store().put("k", large + i);
            }
            store().history().compactKeepingNewest(2);
            release.countDown();
            await(() -> !watch.isOpen(), "the watch stops");
            assertThat(watch.failure()).get().isInstanceOf(HistoryCompactedException.class);
            assertThat(recorder.failures).singleElement().isInstanceOf(HistoryCompactedException.class);
            // what was delivered before the failure has no gap
            List<Long> revisions = recorder.revisions();
            for (int i = 0; i < revisions.size(); i++) {
                assertThat(revisions.get(i)).isEqualTo(start + 1 + i);
            }
        }
    }

    @Test
    void badRequests_areRefusedWithAClearError() {
        store().put("a", 1);
        long head = store().revision();

        assertThatThrownBy(() -> WatchRequest.key("a..b")).isInstanceOf(ConfigStoreException.class)
                .satisfies(e -> assertThat(((ConfigStoreException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThatThrownBy(() -> WatchRequest.everything().after(-1)).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("0 or more, was -1");
        assertThatThrownBy(() -> store().watch(WatchRequest.everything().after(head + 1), new Recorder()))
                .isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("after revision " + (head + 1)).hasMessageContaining("head is revision " + head);
        assertThatThrownBy(() -> store().watch(WatchRequest.everything().in("no-such-profile"), new Recorder()))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("'no-such-profile'");
        assertThatThrownBy(() -> store().watch(WatchRequest.everything().in("../etc"), new Recorder()))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @Test
    void closingTheStore_closesItsWatches() {
        Watch watch = store().watch(WatchRequest.everything(), new Recorder());
        extension.reopen();
        assertThat(watch.isOpen()).isFalse();
    }

    /** A record bound to a subtree. */
    record Camera(String device, int fps) {
    }

    @Test
    void aLiveValue_changesWholePerRevision_forEveryReader() throws Exception {
        store().batch().set("current", "vision.camera.device", "cam-0").set("current", "vision.camera.fps", 0).commit();
        try (LiveValue<Camera> camera = store().bind("vision.camera", Camera.class)) {
            assertThat(camera.get()).isEqualTo(new Camera("cam-0", 0));
            List<String> seen = new CopyOnWriteArrayList<>();
            camera.onChange((before, after, revision) -> seen.add(before.fps() + "->" + after.fps()));
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService readers = Executors.newFixedThreadPool(8);
            List<Future<Integer>> torn = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                torn.add(readers.submit(() -> {
                    int mismatches = 0;
                    while (writing.get()) {
                        Camera now = camera.get();
                        if (!now.device().equals("cam-" + now.fps())) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (int i = 1; i <= 60; i++) {
                store().batch().set("current", "vision.camera.device", "cam-" + i)
                        .set("current", "vision.camera.fps", i).commit();
            }
            long head = store().revision();
            await(() -> camera.revision() == head, "the live value reaches the head");
            writing.set(false);
            readers.shutdown();
            for (Future<Integer> reader : torn) {
                assertThat(reader.get()).isZero();
            }
            assertThat(camera.get()).isEqualTo(new Camera("cam-60", 60));
            assertThat(seen).hasSize(60).startsWith("0->1").endsWith("59->60");
        }
    }

    @Test
    void aRevisionThatDoesNotConvert_keepsTheLastGoodValue_andIsReported() {
        FAILURES.clear();
        store().batch().set("current", "vision.camera.device", "cam-1").set("current", "vision.camera.fps", 30).commit();
        try (LiveValue<Camera> camera = store().bind("vision.camera", Camera.class)) {
            List<String> rejected = new CopyOnWriteArrayList<>();
            camera.onChange(new LiveValue.Listener<>() {
                @Override
                public void changed(Camera oldValue, Camera newValue, long revision) {
                    rejected.add("changed " + newValue.fps());
                }

                @Override
                public void rejected(ConfigStoreException error, long revision) {
                    rejected.add("rejected " + error.getMessage());
                }
            });
            long bad = store().put("vision.camera.fps", "fast").revision();
            await(() -> rejected.size() == 1, "the rejection");
            assertThat(camera.get()).isEqualTo(new Camera("cam-1", 30));
            assertThat(camera.revision()).isLessThan(bad);
            long good = store().put("vision.camera.fps", 60).revision();
            await(() -> camera.revision() == good, "the next good revision");
            assertThat(camera.get()).isEqualTo(new Camera("cam-1", 60));
            assertThat(rejected).hasSize(2);
            assertThat(rejected.get(0)).contains("vision.camera").contains("Camera");
            assertThat(rejected.get(1)).isEqualTo("changed 60");
            assertThat(FAILURES).contains("live-value-conversion");
        }
    }

    @Test
    void bindingToATypeThatCannotHoldTheValue_failsAtBindTime_namingTheKeyAndType() {
        store().put("vision.camera.fps", "fast");

        assertThatThrownBy(() -> store().bind("vision.camera", Camera.class))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("vision.camera").hasMessageContaining("Camera");
        assertThatThrownBy(() -> store().bind("vision.lens", Camera.class))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("vision.lens");
        assertThatThrownBy(() -> store().bind("nope", "a", Integer.class))
                .hasMessageContaining("'nope'");
    }

    @Test
    void aLiveValueOfAProfile_followsItsParent() {
        store().profiles().create(ProfileDefinition.named("base"));
        store().put("base", "speed", 1);
        store().profiles().create(ProfileDefinition.named("table-3").extending("base"));
        try (LiveValue<Integer> speed = store().bind("table-3", "speed", Integer.class)) {
            assertThat(speed.get()).isEqualTo(1);
            long revision = store().put("base", "speed", 5).revision();
            await(() -> speed.revision() == revision, "the parent's change");
            assertThat(speed.get()).isEqualTo(5);
        }
    }

    @Test
    void theHealthMonitor_reportsEachChangeOfLevel() {
        store().put("a", 1);
        store().backups().create("daily", 0, "");
        List<String> changes = new CopyOnWriteArrayList<>();
        try (HealthMonitor monitor = store().health().monitor(Duration.ofMillis(100),
                (previous, report) -> changes.add(previous.map(Enum::name).orElse("none") + "->" + report.level()))) {
            await(() -> changes.size() == 1, "the first report");
            store().backups().delete("daily");
            await(() -> changes.size() == 2, "the warning");
            store().backups().create("daily", 0, "");
            await(() -> changes.size() == 3, "back to OK");
            assertThat(changes).containsExactly("none->OK", "OK->WARN", "WARN->OK");
            HealthReport latest = monitor.latest();
            assertThat(latest.level()).isEqualTo(HealthLevel.OK);
        }
        assertThatThrownBy(() -> store().health().monitor(Duration.ofMillis(5), (previous, report) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100ms");
    }

    @Test
    void changesOutsideTheRequest_areNotDelivered_andTheirRevisionsPassSilently() {
        Recorder recorder = new Recorder();
        try (Watch watch = store().watch(WatchRequest.key("wanted"), recorder)) {
            for (int i = 0; i < 20; i++) {
                store().put("unwanted", i);
            }
            long head = store().revision();
            await(() -> watch.position() == head, "the head");
            assertThat(recorder.events).isEmpty();
        }
    }
}
