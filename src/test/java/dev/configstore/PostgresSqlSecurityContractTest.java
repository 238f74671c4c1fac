package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The read-only SQL contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresSqlSecurityContractTest extends SqlSecurityContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
