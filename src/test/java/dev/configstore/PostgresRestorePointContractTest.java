package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The restore point and compaction contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresRestorePointContractTest extends RestorePointContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
