package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The health contract on an H2 file store. */
class H2HealthContractTest extends HealthContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2(), builder -> builder
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
