package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store keeps its libraries quiet in the host application's log. */
class QuietDependenciesTest {

    @TempDir
    Path temp;

    @Test
    void jooqsLogoAndTipOfTheDay_areTurnedOffByTheTimeAStoreIsOpen() {
        try (ConfigStore store = ConfigStore.builder().path(temp.resolve("config")).open()) {
            store.put("a", 1); // renders SQL through jOOQ
        }

        // jOOQ reads these once, when it first renders SQL, and then logs through the application's SLF4J binding;
        // the store sets them as its implementation class loads, before anything touches jOOQ
        assertThat(System.getProperty("org.jooq.no-logo")).isEqualTo("true");
        assertThat(System.getProperty("org.jooq.no-tips")).isEqualTo("true");
    }
}
