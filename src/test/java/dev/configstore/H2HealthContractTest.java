package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The health contract on an H2 file store. */
class H2HealthContractTest extends HealthContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2(), builder -> builder
            .healthThresholds(THRESHOLDS)
            .metrics((operation, duration, outcome) -> METRICS.add(operation + " " + outcome)));

    @Override
    StoreExtension extension() {
        return extension;
    }
}
