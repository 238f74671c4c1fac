package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The restore point and compaction contract on an H2 file store. */
class H2RestorePointContractTest extends RestorePointContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2());

    @Override
    StoreExtension extension() {
        return extension;
    }
}
