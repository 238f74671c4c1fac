package dev.configstore.health;

import java.time.Duration;

/**
 * A hook the store calls once per logged operation (every write, failed or not, and verify,
 * sql, imports, exports, compaction, lease operations), so an application can feed its
 * metrics library. Reads from memory are not operations and are not reported. Implementations
 * must be thread-safe and fast, and should not throw; what they throw is ignored.
 */
@FunctionalInterface
public interface StoreMetrics {

    /** The default: does nothing. */
    StoreMetrics NONE = (operation, duration, outcome) -> {
    };

    /**
     * Records one operation.
     *
     * @param operation the kind, as in the {@code operations} view
     * @param duration how long it took
     * @param outcome {@code OK} or the name of the error code
     */
    void operation(String operation, Duration duration, String outcome);
}
