package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The import and export contract on PostgreSQL (skipped with the reason when none is reachable). */
class PostgresImportExportContractTest extends ImportExportContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.Postgres(), builder -> builder.maxImportBytes(LIMIT));

    @Override
    StoreExtension extension() {
        return extension;
    }
}
