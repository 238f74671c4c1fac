package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.backup.RestorePoint;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.Diff;
import dev.configstore.history.KeyChange;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.profile.ResolvedKey;
import java.nio.file.Path;
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
}
