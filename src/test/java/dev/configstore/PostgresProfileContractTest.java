package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The profile contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresProfileContractTest extends ProfileContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
