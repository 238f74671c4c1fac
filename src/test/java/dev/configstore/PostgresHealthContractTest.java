package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The health contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresHealthContractTest extends HealthContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres(), builder -> builder
            .healthThresholds(THRESHOLDS)
            .metrics((operation, duration, outcome) -> METRICS.add(operation + " " + outcome)));

    @Override
    StoreExtension extension() {
        return extension;
    }
}
