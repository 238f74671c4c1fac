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
     * Like {@link #verify()}, telling {@code progress} after each document.
     *
     * @param progress told how far the check has come
     * @return what was checked and every mismatch found
     */
    VerifyResult verify(VerifyProgress progress);
}
