package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract suite on an H2 file store. */
class H2StoreContractTest extends StoreContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
