package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The store keeps its libraries quiet in the host application's log. */
class QuietDependenciesTest {

    @Test
    void jooqsLogoAndTipOfTheDay_areTurnedOffBeforeAnyStoreOpens() {
        ConfigStore.builder(); // the builder is the door every store comes through

        // jOOQ reads these once, when it first renders SQL, and then logs through the application's SLF4J binding
        assertThat(System.getProperty("org.jooq.no-logo")).isEqualTo("true");
        assertThat(System.getProperty("org.jooq.no-tips")).isEqualTo("true");
    }
}
