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
