package dev.configstore;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The limits contract on an H2 file store. */
class H2LimitsContractTest extends LimitsContractTest {

    @RegisterExtension
    final StoreExtension extension = new StoreExtension(new Backend.H2(), builder -> builder.maxValueLength(1000));

    @Override
    StoreExtension extension() {
        return extension;
    }
}
