package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The archive contract on H2 file stores. */
class H2ArchiveContractTest extends ArchiveContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2(), builder -> builder.maxImportBytes(LIMIT));

    @Override
    StoreExtension extension() {
        return extension;
    }

    @Override
    Backend freshBackend() {
        return new Backend.H2();
    }
}
