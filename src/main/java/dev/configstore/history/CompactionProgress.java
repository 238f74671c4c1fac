package dev.configstore.history;

/**
 * Told how far a compaction has come, in revisions of history swept. Called on the thread that
 * compacts, inside its transaction: keep it quick and do not touch the store from it.
 */
@FunctionalInterface
public interface CompactionProgress {

    /** Reports nothing. */
    CompactionProgress NONE = (done, total) -> { };

    /**
     * Called after each batch of deletes, and once more when the rows are gone.
     *
     * @param done revisions swept so far, from the old history floor up
     * @param total revisions between the old history floor and the new one
     */
    void revisionsSwept(long done, long total);
}
