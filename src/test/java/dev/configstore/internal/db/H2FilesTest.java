package dev.configstore.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.ConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marker's "at rest" shortcut: an open skips the read-only check only for the file the
 * store closed. An older copy put in its place with the same size and modification time (made
 * within one clock tick of the close, where a file system's timestamps cannot tell them apart)
 * is not taken for it.
 */
class H2FilesTest {

    @TempDir
    Path temp;

    @Test
    void unchangedSinceClose_sameFile_isAtRest_otherContentWithSameSizeAndTime_isNot() throws Exception {
        Path database = temp.resolve("store.mv.db");
        byte[] closedContent = new byte[20_000];
        closedContent[19_999] = 1;
        Files.write(database, closedContent);
        H2Files.Marker closed = new H2Files.Marker(true, 31, Files.size(database),
                Files.getLastModifiedTime(database).toMillis(), H2Files.fingerprint(database));
        assertThat(closed.unchangedSinceClose(database)).isTrue();

        Path older = temp.resolve("older.mv.db");
        Files.write(older, new byte[20_000]);
        FileTime closedAt = Files.getLastModifiedTime(database);
        Files.copy(older, database, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(database, closedAt);

        assertThat(Files.size(database)).isEqualTo(closed.fileSize());
        assertThat(Files.getLastModifiedTime(database).toMillis()).isEqualTo(closed.fileModified());
        assertThat(closed.unchangedSinceClose(database)).as("another file with equal size and time").isFalse();
    }

    @Test
    void fingerprint_ofARealStore_changesWithEveryClosedWrite() throws Exception {
        Path directory = temp.resolve("store");
        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            store.put("key30", "value 30");
        }
        String first = H2Files.fingerprint(directory.resolve(H2Files.DATABASE_FILE));
        try (ConfigStore store = ConfigStore.builder().path(directory).open()) {
            store.put("key31", "later");
        }
        String second = H2Files.fingerprint(directory.resolve(H2Files.DATABASE_FILE));
        assertThat(second).isNotEqualTo(first);
        assertThat(H2Files.readMarker(directory).fileFingerprint()).isEqualTo(second);
    }

    @Test
    void unchangedSinceClose_markerWithoutFingerprint_isNeverAtRest() throws Exception {
        Path database = temp.resolve("store.mv.db");
        Files.write(database, new byte[4096]);
        H2Files.Marker older = new H2Files.Marker(true, 3, Files.size(database),
                Files.getLastModifiedTime(database).toMillis(), "");
        assertThat(older.unchangedSinceClose(database)).isFalse();
    }
}
