package dev.configstore.health;

import java.time.Duration;

/**
 * Hooks the store calls so an application can feed its metrics library. Every method does
 * nothing by default: implement the ones you need, and hooks added later do not break you.
 * Implementations must be thread-safe and fast, and should not throw; what they throw is
 * ignored.
 */
public interface StoreMetrics {

    /** The default: does nothing. */
    StoreMetrics NONE = new StoreMetrics() {
    };

    /**
     * Called once per logged operation: every write, failed or not, and verify, sql, imports,
     * exports, compaction and lease operations. Reads from memory are not operations and are
     * not reported.
     *
     * @param operation the kind, as in the {@code operations} view
     * @param duration how long it took
     * @param outcome {@code OK} or the name of the error code
     */
    default void operation(String operation, Duration duration, String outcome) {
    }

    /**
     * A write of a revision runs again after its attempt failed (the connection broke, as in a
     * failover, or a lock timed out). {@code earlierCommitted}: the earlier attempt turned out to
     * have committed, so the write is reported with that revision and not applied again.
     *
     * @param operation the operation's name, as in {@link #operation}
     * @param earlierCommitted whether an earlier attempt had committed after all
     */
    default void writeRetried(String operation, boolean earlierCommitted) {
    }

    /**
     * Called when a listener the store calls failed: a watch listener or live-value listener
     * that threw, a live value whose new revision did not convert, a health monitor's listener
     * that threw.
     *
     * @param listener what failed: {@code watch}, {@code live-value}, {@code live-value-conversion}
     *     or {@code health-monitor}
     * @param error what it threw, or the conversion error
     */
    default void listenerFailed(String listener, Throwable error) {
    }
}
