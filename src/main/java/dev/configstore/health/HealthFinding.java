package dev.configstore.health;

import java.util.Objects;

/**
 * One check of a health report.
 *
 * @param check the check's name ({@code reachable}, {@code writable}, {@code schema},
 *     {@code integrity}, {@code disk}, {@code leases}, {@code restore-points}, {@code failures})
 * @param level how bad
 * @param message what was found
 * @param recommendation what to do, empty when nothing
 */
public record HealthFinding(String check, HealthLevel level, String message, String recommendation) {

    /**
     * Validates the fields.
     *
     * @param check the check's name ({@code reachable}, {@code writable}, {@code schema},
     *     {@code integrity}, {@code disk}, {@code leases}, {@code restore-points}, {@code failures})
     * @param level how bad
     * @param message what was found
     * @param recommendation what to do, empty when nothing
     */
    public HealthFinding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recommendation, "recommendation");
    }
}
