package dev.configstore.health;

import java.util.Map;
import java.util.Objects;

/**
 * Figures of one kind of operation from the operation log.
 *
 * @param operation the kind ({@code set}, {@code import}, {@code lease-acquire}, ...)
 * @param count how many
 * @param byOutcome how many per outcome ({@code OK} or an error code)
 * @param p50Micros median duration in microseconds
 * @param p95Micros 95th percentile duration
 * @param maxMicros longest duration
 */
public record OperationStats(String operation, long count, Map<String, Long> byOutcome, long p50Micros,
                             long p95Micros, long maxMicros) {

    /**
     * Validates the fields.
     *
     * @param operation the kind ({@code set}, {@code import}, {@code lease-acquire}, ...)
     * @param count how many
     * @param byOutcome how many per outcome ({@code OK} or an error code)
     * @param p50Micros median duration in microseconds
     * @param p95Micros 95th percentile duration
     * @param maxMicros longest duration
     */
    public OperationStats {
        Objects.requireNonNull(operation, "operation");
        byOutcome = Map.copyOf(byOutcome);
    }
}
