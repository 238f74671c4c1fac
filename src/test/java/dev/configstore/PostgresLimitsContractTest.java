package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresLimitsContractTest extends LimitsContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres(), builder -> builder.maxValueLength(1000));

    @Override
    StoreExtension extension() {
        return extension;
    }
}
