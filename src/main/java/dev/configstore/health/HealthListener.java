package dev.configstore.health;

import java.util.Optional;

/** Told when a monitored store's health level changes (OK, WARN, CRITICAL, either way). */
@FunctionalInterface
public interface HealthListener {

    /**
     * The level changed; also called once with the first report.
     *
     * @param previous the level before, empty for the first report
     * @param report the report with the new level and its findings
     */
    void levelChanged(Optional<HealthLevel> previous, HealthReport report);
}
