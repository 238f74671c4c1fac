package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresLeaseContractTest extends LeaseContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
