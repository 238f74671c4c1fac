package dev.configstore.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.ConfigStore;
import dev.configstore.Durability;
import dev.configstore.Replication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad replication settings are refused before anything is opened or created. */
class ReplicationSettingsTest {

    @Test
    void aReadUrlMustBeAPostgresqlUrlAndTheTimeoutsHaveRanges() {
        assertThatThrownBy(() -> Replication.defaults().readUrl("jdbc:h2:./config;PASSWORD=secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> Replication.defaults().readUrl("jdbc:mysql://h/db?password=hunter2"))
                .hasMessageContaining("password=***").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Replication.defaults().failoverTimeout(Duration.ofMillis(500)))
                .hasMessage("failoverTimeout must be 1s..10min, was PT0.5S");
        assertThatThrownBy(() -> Replication.defaults().replicaWait(Duration.ofMinutes(2)))
                .hasMessage("replicaWait must be 0..1min, was PT2M");
        assertThat(Replication.defaults().replicaWait(Duration.ZERO).replicaWait()).isZero();
        assertThat(Replication.defaults().failoverTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anH2StoreRefusesReplicatedDurabilityAndAReadUrlWithoutCreatingAnything(@TempDir Path directory) {
        Path store = directory.resolve("config");
        assertThatThrownBy(() -> ConfigStore.builder().path(store).durability(Durability.REPLICATED).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("need a PostgreSQL store");
        assertThatThrownBy(() -> ConfigStore.builder().path(store)
                .replication(Replication.defaults().readUrl("jdbc:postgresql://h1,h2/app")).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("need a PostgreSQL store");
        assertThatThrownBy(() -> ConfigStore.builder().url("jdbc:h2:" + store.resolve("db"))
                .durability(Durability.REPLICATED_APPLIED).open())
                .isInstanceOf(IllegalStateException.class);
        assertThat(Files.exists(store)).isFalse();
    }

    @Test
    void theCommandLineRefusesTheSameWithAClearErrorAndWritesNothing(@TempDir Path directory) {
        Path store = directory.resolve("config");
        for (String[] options : new String[][] {{"--durability", "REPLICATED"},
                {"--read-url", "jdbc:postgresql://h1,h2/app"}, {"--read-url", "jdbc:h2:./x"},
                {"--failover-timeout", "0"}}) {
            java.io.StringWriter err = new java.io.StringWriter();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--store", store.toString()));
            args.addAll(java.util.List.of(options));
            args.addAll(java.util.List.of("set", "a", "1"));
            int code = dev.configstore.cli.Main.run(args.toArray(String[]::new), new java.io.PrintWriter(
                    new java.io.StringWriter()), new java.io.PrintWriter(err), java.util.Map.of());
            assertThat(code).as(String.join(" ", options)).isNotZero();
            assertThat(err.toString()).as(String.join(" ", options)).startsWith("configstore: ")
                    .containsAnyOf("PostgreSQL", "jdbc:postgresql:", "failoverTimeout");
            assertThat(Files.exists(store)).isFalse();
        }
    }
}
