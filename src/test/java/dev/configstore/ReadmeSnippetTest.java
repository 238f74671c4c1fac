package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.health.VerifyResult;
import dev.configstore.history.Diff;
import dev.configstore.history.KeyChange;
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

            VerifyResult check = store.verify();                 // recompute every stored checksum
            System.out.println(camera + ", clean: " + check.isClean());
            // ---- README snippet ends ----
            assertThat(camera).isEqualTo(new Camera("/dev/video0", 30));
            assertThat(result.revision()).isEqualTo(3);
            assertThat(diff.changes()).hasSize(2);
            assertThat(check.isClean()).isTrue();
            assertThat(before.find("vision.camera.fps").orElseThrow().asInt()).isEqualTo(30);
        }
    }
}
