package dev.configstore.health;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a health check: every finding and the worst level among them.
 *
 * @param level the worst level of the findings
 * @param findings one per check, in a fixed order
 * @param checkedAt when, from the store's clock
 */
public record HealthReport(HealthLevel level, List<HealthFinding> findings, Instant checkedAt) {

    /**
     * Validates the fields.
     *
     * @param level the worst level of the findings
     * @param findings one per check, in a fixed order
     * @param checkedAt when, from the store's clock
     */
    public HealthReport {
        Objects.requireNonNull(level, "level");
        findings = List.copyOf(findings);
        Objects.requireNonNull(checkedAt, "checkedAt");
    }
}
