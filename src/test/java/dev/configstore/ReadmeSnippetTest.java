package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.backup.RestorePoint;
import dev.configstore.health.HealthMonitor;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.Diff;
import dev.configstore.history.KeyChange;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.profile.ResolvedKey;
import dev.configstore.watch.LiveValue;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example of the README, compiled and run. Keep the two in step. */
class ReadmeSnippetTest {

    @TempDir
    Path temp;

    @Test
    void embeddingExample_runs() {
        Path dir = temp.resolve("config");
        // ---- README snippet starts ----
        record Camera(String device, int fps) {}

        try (ConfigStore store = ConfigStore.builder().path(dir).open()) {
            store.put("vision.camera.device", "/dev/video0");
            store.put("vision.camera.fps", 30);
            long read = store.revision();                        // the revision our change is based on

            int fps = store.find("vision.camera.fps", Integer.class).orElse(25);     // typed read
            Camera camera = store.find("vision.camera", Camera.class).orElseThrow(); // subtree as a record

            WriteResult result = store.batch()                   // several changes, one revision
                    .set("current", "vision.camera.fps", fps * 2)
                    .set("current", "table.felt_color", "green")
                    .expectRevision(read)                        // else VersionConflictException
                    .message("faster camera, new felt")
                    .commit();

            Document before = store.document("current", read).orElseThrow();   // at a past revision
            System.out.println(before.find("vision.camera.fps").orElseThrow()); // 30

            Diff diff = store.history().diff(read, result.revision());
            for (KeyChange change : diff.changes()) {
                System.out.println(change.kind() + " " + change.key() + " -> " + change.newValue().orElse(null));
            }

            VerifyResult check = store.health().verify();                 // recompute every stored checksum
            System.out.println(camera + ", clean: " + check.isClean());
            // ---- README snippet ends ----
            assertThat(camera).isEqualTo(new Camera("/dev/video0", 30));
            assertThat(result.revision()).isEqualTo(3);
            assertThat(diff.changes()).hasSize(2);
            assertThat(check.isClean()).isTrue();
            assertThat(before.find("vision.camera.fps").orElseThrow().asInt()).isEqualTo(30);
        }
    }

    @Test
    void profilesAndRestorePointsExample_runs() {
        try (ConfigStore store = ConfigStore.builder().path(temp.resolve("profiles")).open()) {
            store.put("vision.camera.fps", 60);
            // ---- README snippet starts ----
            // a profile extends a parent; reading it resolves the chain
            store.profiles().create(ProfileDefinition.named("base").describedAs("every table"));
            store.put("base", "vision.camera.fps", 30);
            store.profiles().create(ProfileDefinition.named("table-3").extending("base"));
            store.put("table-3", "vision.camera.device", "/dev/video3");
            store.find("table-3", "vision.camera.fps");            // 30, inherited from base
            for (ResolvedKey key : store.profiles().explain("table-3")) {
                System.out.println(key.key() + " from " + key.document() + " at revision " + key.revision());
            }

            RestorePoint good = store.backups().create("known-good", 10, "before the tournament");
            store.put("vision.camera.fps", 120);
            store.backups().restore("known-good");                 // a new revision equal to the pinned state
            store.history().compactKeepingNewest(100);             // old history goes, pinned revisions stay
            // ---- README snippet ends ----
            assertThat(store.find("table-3", "vision.camera.fps", Integer.class)).contains(30);
            assertThat(store.profiles().explain("table-3")).extracting(ResolvedKey::document)
                    .containsExactly("table-3", "base");
            assertThat(good.revision()).isEqualTo(5);
            assertThat(store.find("vision.camera.fps", Integer.class)).contains(60);
            assertThat(store.revision()).isEqualTo(7);
        }
    }

    /** Where the trainer keeps the last revision it handled, across restarts. */
    private long lastHandled;

    private long loadLastHandledRevision() {
        return lastHandled;
    }

    private void saveLastHandledRevision(long revision) {
        lastHandled = revision;
    }

    @Test
    void liveExample_runs() throws Exception {
        record Camera(String device, int fps) {}
        java.util.List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ConfigStore store = ConfigStore.builder().path(temp.resolve("live")).open()) {
            store.batch().set("current", "vision.camera.device", "/dev/video0").set("current", "vision.camera.fps", 30)
                    .commit();
            // ---- README snippet starts ----
            // every change under vision.camera, from the last revision this process handled
            long after = loadLastHandledRevision();
            Watch watch = store.watch(WatchRequest.key("vision.camera").after(after), event -> {
                for (KeyChange change : event.changes()) {
                    applied.add(change.key() + "=" + change.newValue().map(Object::toString).orElse("(removed)"));
                }
                saveLastHandledRevision(event.revision());
            });

            // or a live record, swapped whole per revision
            LiveValue<Camera> camera = store.bind("vision.camera", Camera.class);
            camera.onChange((old, now, revision) -> System.out.println("camera now " + now));
            int fps = camera.get().fps();

            // health checks every minute; told when the level changes
            HealthMonitor monitor = store.health().monitor(Duration.ofMinutes(1),
                    (previous, report) -> System.out.println("health " + report.level()));
            // ---- README snippet ends ----
            long revision = store.put("vision.camera.fps", 60).revision();
            WatchContractTest.await(() -> watch.position() == revision && camera.revision() == revision, "the change");
            assertThat(fps).isEqualTo(30);
            assertThat(camera.get()).isEqualTo(new Camera("/dev/video0", 60));
            assertThat(applied).containsExactly("vision.camera.device=\"/dev/video0\"", "vision.camera.fps=30",
                    "vision.camera.fps=60");
            assertThat(lastHandled).isEqualTo(revision);
            monitor.close();
            camera.close();
            watch.close();
        }
    }
}
