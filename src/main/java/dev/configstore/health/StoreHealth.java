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
}
