package dev.configstore.health;

/**
 * Health checks running on a schedule; see {@link StoreHealth#monitor}. Thread-safe. Closing the
 * store closes its monitors.
 */
public interface HealthMonitor extends AutoCloseable {

    /**
     * The newest report, or null before the first check finished.
     *
     * @return the report
     */
    HealthReport latest();

    /** Stops the checks; a check in progress finishes. Idempotent. */
    @Override
    void close();
}
