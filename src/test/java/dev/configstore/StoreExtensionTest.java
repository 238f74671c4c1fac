package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fixture fails a test that leaves a store open, and passes one that closes what it opens. */
class StoreExtensionTest {

    @Test
    void afterEach_storeLeftOpenOnTheSameFile_failsTheTest() throws Exception {
        StoreExtension extension = new StoreExtension(new Backend.H2());
        extension.beforeEach(null);
        extension.store().put("a", 1);
        ConfigStore forgotten = extension.backend().sameStore().open();
        try {
            assertThatThrownBy(() -> extension.afterEach(null)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("left a store open");
        } finally {
            forgotten.close();
        }
    }

    @Test
    void afterEach_everyStoreClosed_passes() throws Exception {
        StoreExtension extension = new StoreExtension(new Backend.H2());
        extension.beforeEach(null);
        try (ConfigStore second = extension.backend().sameStore().open()) {
            assertThat(second.revision()).isZero();
        }
        extension.afterEach(null);
    }
}
