package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease contract on an H2 file store. */
class H2LeaseContractTest extends LeaseContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
