package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The read-only SQL contract on an H2 file store. */
class H2SqlSecurityContractTest extends SqlSecurityContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
