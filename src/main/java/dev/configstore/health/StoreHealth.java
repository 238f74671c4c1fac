package dev.configstore.health;

/** The store's health check and figures. Thread-safe. */
public interface StoreHealth {

    /**
     * Runs every check; never throws for a store problem, which becomes a CRITICAL finding.
     *
     * @return the findings and the worst level
     */
    HealthReport check();

    /**
     * Gathers the store's figures.
     *
     * @return the figures
     */
    StoreStats stats();

    /**
     * Recomputes the checksum of every document at every revision from the stored rows and
     * compares it with the checksum stored when the revision was written.
     *
     * @return what was checked and every mismatch found
     * @throws dev.configstore.ConfigStoreException with
     *     {@link dev.configstore.ErrorCode#STORE_UNAVAILABLE} if the database cannot be read
     */
    VerifyResult verify();

    /**
     * Like {@link #verify()}, telling {@code progress} every few hundred value rows and after
     * each document.
     *
     * @param progress told how far the check has come
     * @return what was checked and every mismatch found
     */
    VerifyResult verify(VerifyProgress progress);

    /**
     * Recomputes the history's hash chain from the history floor to the head: each revision's
     * hash covers the previous one's and the revision's number, time, actor, message, operation,
     * document metadata and every value it wrote or removed. A revision changed by SQL after it
     * was written no longer matches. With a key, each revision's HMAC is checked too, so a chain
     * recomputed by someone without the key is caught as well.
     *
     * @return what was checked and the first revision that did not match, if any
     */
    ChainVerification verifyChain();

    /**
     * Like {@link #verifyChain()}, and also checks that revision {@code anchorRevision} has the
     * chain hash {@code anchorHash}, written down elsewhere earlier: then the history up to it
     * is exactly what it was then.
     *
     * @param anchorRevision the anchored revision, at or above the history floor
     * @param anchorHash its chain hash, 64 hex digits
     * @return what was checked and the first revision that did not match, if any
     * @throws dev.configstore.HistoryCompactedException if the revision is below the history floor
     */
    ChainVerification verifyChain(long anchorRevision, String anchorHash);

    /**
     * Returns the chain hash stored for a revision: written down elsewhere, it anchors the
     * history up to that revision.
     *
     * @param revision the revision
     * @return its chain hash, or empty if the revision has no row (compacted or not yet written)
     */
    java.util.Optional<String> chainHash(long revision);

    /**
     * Runs {@link #check()} now and then every {@code interval} on a thread of the store, and
     * calls the listener with the first report and whenever the level changes. A listener that
     * throws is logged and reported to the metrics hook; the monitor goes on.
     *
     * @param interval between the end of one check and the start of the next, 100 ms to 1 day
     * @param listener told about level changes
     * @return the running monitor; close it to stop
     * @throws IllegalArgumentException if the interval is out of range
     */
    HealthMonitor monitor(java.time.Duration interval, HealthListener listener);
}
