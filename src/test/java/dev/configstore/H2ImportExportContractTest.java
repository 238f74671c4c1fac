package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The import and export contract on an H2 file store. */
class H2ImportExportContractTest extends ImportExportContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2(), builder -> builder.maxImportBytes(LIMIT));

    @Override
    StoreExtension extension() {
        return extension;
    }
}
