package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The profile contract on an H2 file store. */
class H2ProfileContractTest extends ProfileContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
