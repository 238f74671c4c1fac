package dev.configstore.health;

import dev.configstore.history.RevisionEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Figures of a store.
 *
 * @param documents documents at head, the main one included
 * @param profiles documents other than the main one
 * @param keys leaf values at head, over all documents (each document's own)
 * @param revisions revisions that can still be read (after compaction, fewer than the head)
 * @param first the oldest readable revision, if any
 * @param last the newest revision, if any
 * @param restorePoints restore points, automatic ones included
 * @param sizeBytes the store's size on disk, -1 if it cannot be told
 * @param operations per kind of operation, from the operation log, sorted by kind
 */
public record StoreStats(int documents, int profiles, long keys, long revisions, Optional<RevisionEntry> first,
                         Optional<RevisionEntry> last, int restorePoints, long sizeBytes,
                         List<OperationStats> operations) {

    /**
     * Validates the fields.
     *
     * @param documents documents at head, the main one included
     * @param profiles documents other than the main one
     * @param keys leaf values at head, over all documents (each document's own)
     * @param revisions revisions that can still be read (after compaction, fewer than the head)
     * @param first the oldest readable revision, if any
     * @param last the newest revision, if any
     * @param restorePoints restore points, automatic ones included
     * @param sizeBytes the store's size on disk, -1 if it cannot be told
     * @param operations per kind of operation, from the operation log, sorted by kind
     */
    public StoreStats {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        operations = List.copyOf(operations);
    }
}
