package dev.configstore.health;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a health check compares against. Immutable; start from {@link #defaults()}.
 *
 * @param minFreeDiskWarn free space in the store's file system below which disk is WARN
 * @param minFreeDiskCritical free space below which disk is CRITICAL
 * @param maxRestorePointAge the newest restore point older than this is WARN (no restore point at all too)
 * @param failureWindow how far back the failure check looks in the operation log
 * @param maxFailures failed operations (other than a held lease) in the window from which it is WARN
 */
public record HealthThresholds(long minFreeDiskWarn, long minFreeDiskCritical, Duration maxRestorePointAge,
                               Duration failureWindow, int maxFailures) {

    /**
     * Validates the fields.
     *
     * @param minFreeDiskWarn free space in the store's file system below which disk is WARN
     * @param minFreeDiskCritical free space below which disk is CRITICAL
     * @param maxRestorePointAge the newest restore point older than this is WARN (no restore point at all too)
     * @param failureWindow how far back the failure check looks in the operation log
     * @param maxFailures failed operations (other than a held lease) in the window from which it is WARN
     */
    public HealthThresholds {
        if (minFreeDiskCritical < 0 || minFreeDiskWarn < minFreeDiskCritical) {
            throw new IllegalArgumentException("need 0 <= minFreeDiskCritical <= minFreeDiskWarn");
        }
        Objects.requireNonNull(maxRestorePointAge, "maxRestorePointAge");
        Objects.requireNonNull(failureWindow, "failureWindow");
        if (maxRestorePointAge.isNegative() || failureWindow.isNegative() || failureWindow.isZero() || maxFailures < 1) {
            throw new IllegalArgumentException("durations must be positive and maxFailures at least 1");
        }
    }

    /**
     * Returns the defaults: disk WARN under 1 GiB and CRITICAL under 100 MiB free, restore
     * points older than 7 days WARN, 20 failures within 5 minutes WARN.
     *
     * @return the defaults
     */
    public static HealthThresholds defaults() {
        return new HealthThresholds(1L << 30, 100L << 20, Duration.ofDays(7), Duration.ofMinutes(5), 20);
    }
}
