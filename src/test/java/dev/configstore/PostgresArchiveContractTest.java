package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The archive contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresArchiveContractTest extends ArchiveContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres(), builder -> builder.maxImportBytes(LIMIT));

    @Override
    StoreExtension extension() {
        return extension;
    }

    @Override
    Backend freshBackend() {
        return new Backend.Postgres();
    }
}
