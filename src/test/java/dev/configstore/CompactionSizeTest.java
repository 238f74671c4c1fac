package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.configstore.history.CompactionResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on a real H2 file with a long history: 10,000 revisions, 3 of them pinned, compacted
 * to the newest 100. The file shrinks, the pinned states restore exactly, verify stays clean.
 */
@Tag("slow")
class CompactionSizeTest {

    @TempDir
    Path temp;

    @Test
    void tenThousandRevisions_compactedToTheNewest100_shrinkTheFile_andPinnedStatesRestoreExactly() throws IOException {
        Path directory = temp.resolve("store");
        Map<String, JsonNode> pinned = new LinkedHashMap<>();
        long before;
        CompactionResult result;
        try (ConfigStore store = ConfigStore.builder().path(directory).clock(Clock.systemUTC()).actor("compaction-test")
                .durability(Durability.PROCESS).open()) {
            String padding = "x".repeat(120);
            for (int revision = 1; revision <= 10_000; revision++) {
                Batch batch = store.batch();
                for (int k = 0; k < 3; k++) {
                    int key = (revision * 7 + k * 131) % 500;
                    batch.set("current", "group" + key % 20 + ".key" + key, padding + revision);
                }
                batch.commit();
                if (revision == 1_000 || revision == 5_000 || revision == 9_000) {
                    store.backups().create("pin-" + revision, 0, "");
                    pinned.put("pin-" + revision, store.document("current").orElseThrow().tree());
                }
            }
            assertThat(store.revision()).isEqualTo(10_000);
        }
        long historyAlone = compactedCopySize(directory);
        try (ConfigStore store = ConfigStore.builder().path(directory).clock(Clock.systemUTC()).actor("compaction-test")
                .durability(Durability.PROCESS).open()) {
            before = Files.size(directory.resolve("store.mv.db"));

            result = store.history().compactKeepingNewest(100);

            assertThat(result.floorRevision()).isEqualTo(9_901);
            assertThat(result.pinnedKept()).containsExactly(1_000L, 5_000L, 9_000L);
            assertThat(result.revisionsRemoved()).isEqualTo(9_900 - 3);
            for (Map.Entry<String, JsonNode> pin : pinned.entrySet()) {
                store.backups().restore(pin.getKey());
                assertThat(store.document("current").orElseThrow().tree()).isEqualTo(pin.getValue());
            }
            assertThat(store.health().verify().isClean()).isTrue();
        }
        long after = Files.size(directory.resolve("store.mv.db"));
        System.out.printf("compaction of 10,000 revisions to the newest 100 in %d ms, %,d rows removed: file %,d ->"
                        + " %,d bytes (%,d after 3 restores and verify); the full history alone, packed by H2: %,d"
                        + " bytes%n", result.took().toMillis(), result.rowsRemoved(), result.bytesBefore(),
                result.bytesAfter(), after, historyAlone);
        assertThat(result.fileRewritten()).isTrue();
        assertThat(result.bytesAfter()).isLessThan(result.bytesBefore());
        // smaller than the whole history packed tight: the rows went, not only H2's unused pages
        assertThat(result.bytesAfter()).isLessThan(historyAlone / 2);
        assertThat(after).isLessThan(before / 2);
    }

    @Test
    void compactionWhileAnotherStoreInstanceIsOpen_shrinksOnline_andBothKeepWorking() {
        Path directory = temp.resolve("shared");
        try (ConfigStore first = ConfigStore.builder().path(directory).actor("first").open();
             ConfigStore second = ConfigStore.builder().path(directory).actor("second").open()) {
            for (int i = 1; i <= 300; i++) {
                first.put("n", i);
                if (i == 100) {
                    first.backups().create("pin", 0, "");
                }
            }

            CompactionResult result = second.history().compactKeepingNewest(10);

            assertThat(result.fileRewritten()).isFalse();
            assertThat(result.floorRevision()).isEqualTo(291);
            assertThat(result.revisionsRemoved()).isEqualTo(290 - 1); // all below the floor but the pinned one
            assertThat(first.put("n", 301).revision()).isEqualTo(301);
            assertThat(second.refresh()).isEqualTo(301);
            assertThat(second.find("n")).contains(IntNode.valueOf(301));
            assertThat(first.document("current", 100).orElseThrow().find("n")).contains(IntNode.valueOf(100));
            assertThat(first.health().verify().isClean()).isTrue();
        }
    }

    /** The size of the store's file once H2 packs it (a copy, so the store itself is untouched). */
    private long compactedCopySize(Path directory) throws IOException {
        Path copy = temp.resolve("copy");
        Files.createDirectories(copy);
        Files.copy(directory.resolve("store.mv.db"), copy.resolve("store.mv.db"));
        Properties credentials = new Properties();
        try (var in = Files.newBufferedReader(directory.resolve("credentials.properties"))) {
            credentials.load(in);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("store"),
                credentials.getProperty("user"), credentials.getProperty("password"));
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            throw new IOException(e);
        }
        return Files.size(copy.resolve("store.mv.db"));
    }
}
