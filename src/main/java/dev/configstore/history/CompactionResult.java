package dev.configstore.history;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a compaction removed and kept.
 *
 * @param floorRevision the oldest revision kept whole; below it only pinned revisions remain
 * @param pinnedKept the revisions below the floor kept because restore points pin them
 * @param revisionsRemoved revisions that can no longer be read
 * @param rowsRemoved rows deleted, of every table
 * @param bytesBefore the store's size on disk before (H2 file, or PostgreSQL tables)
 * @param bytesAfter the store's size on disk after
 * @param fileRewritten whether the H2 file was rewritten whole (possible when no other process
 *     was connected); otherwise H2 shrank it online as far as it could, or PostgreSQL vacuumed
 * @param took how long the compaction took
 */
public record CompactionResult(long floorRevision, List<Long> pinnedKept, long revisionsRemoved, long rowsRemoved,
                               long bytesBefore, long bytesAfter, boolean fileRewritten, Duration took) {

    /**
     * Validates the fields.
     *
     * @param floorRevision the oldest revision kept whole; below it only pinned revisions remain
     * @param pinnedKept the revisions below the floor kept because restore points pin them
     * @param revisionsRemoved revisions that can no longer be read
     * @param rowsRemoved rows deleted, of every table
     * @param bytesBefore the store's size on disk before (H2 file, or PostgreSQL tables)
     * @param bytesAfter the store's size on disk after
     * @param fileRewritten whether the H2 file was rewritten whole (possible when no other process
     *     was connected); otherwise H2 shrank it online as far as it could, or PostgreSQL vacuumed
     * @param took how long the compaction took
     */
    public CompactionResult {
        pinnedKept = List.copyOf(pinnedKept);
        Objects.requireNonNull(took, "took");
    }

    /**
     * Returns the bytes the store's files shrank by (0 if they did not).
     *
     * @return bytes reclaimed
     */
    public long bytesReclaimed() {
        return Math.max(0, bytesBefore - bytesAfter);
    }
}
