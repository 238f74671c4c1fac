package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The health contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresHealthContractTest extends HealthContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres(), builder -> builder
            .healthThresholds(THRESHOLDS)
            .metrics(new dev.configstore.health.StoreMetrics() {
                @Override
                public void operation(String operation, java.time.Duration duration, String outcome) {
                    METRICS.add(operation + " " + outcome);
                }
            }));

    @Override
    StoreExtension extension() {
        return extension;
    }
}
