package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite on PostgreSQL, each test in its own schema. Runs when
 * CONFIGSTORE_TEST_POSTGRES_URL is set or Docker is available; otherwise it is reported as
 * skipped with the reason.
 */
class PostgresStoreContractTest extends StoreContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
