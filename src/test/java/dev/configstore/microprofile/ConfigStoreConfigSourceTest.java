package dev.configstore.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.profile.ProfileDefinition;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MicroProfile Config source, read through SmallRye Config as an application would. */
class ConfigStoreConfigSourceTest {

    @TempDir
    Path temp;

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 20 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void smallRyeReadsTypedValues_andSeesAChangeWithoutARestart() throws Exception {
        try (ConfigStore store = ConfigStore.builder().path(temp.resolve("store")).open()) {
            store.batch().set("current", "vision.camera.fps", 30).set("current", "vision.camera.device", "cam-1")
                    .set("current", "vision.hosts", List.of("a", "b,c")).set("current", "vision.debug", true)
                    .set("current", "vision.gain", new java.math.BigDecimal("0.1000000000000000055511151231257827"))
                    .set("current", "vision.nothing", null).commit();
            try (ConfigStoreConfigSource source = ConfigStoreConfigSource.of(store)) {
                SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(source).build();

                assertThat(config.getValue("vision.camera.fps", Integer.class)).isEqualTo(30);
                assertThat(config.getValue("vision.camera.device", String.class)).isEqualTo("cam-1");
                assertThat(config.getValue("vision.debug", Boolean.class)).isTrue();
                assertThat(config.getValue("vision.gain", String.class)).isEqualTo("0.1000000000000000055511151231257827");
                assertThat(config.getValues("vision.hosts", String.class)).containsExactly("a", "b,c");
                assertThat(config.getOptionalValue("vision.nothing", String.class)).isEmpty();
                assertThat(config.getOptionalValue("vision.missing", String.class)).isEmpty();
                assertThat(source.getOrdinal()).isEqualTo(ConfigSource.DEFAULT_ORDINAL);
                assertThat(source.getName()).isEqualTo("configstore:current");

                long revision = store.batch().set("current", "vision.camera.fps", 60)
                        .unset("current", "vision.camera.device").commit().revision();
                await(() -> source.position() == revision, "the change");
                assertThat(config.getValue("vision.camera.fps", Integer.class)).isEqualTo(60);
                assertThat(config.getOptionalValue("vision.camera.device", String.class)).isEqualTo(Optional.empty());
            }
        }
    }

    @Test
    void aProfileSource_servesResolvedValues_andFollowsItsParent() throws Exception {
        try (ConfigStore store = ConfigStore.builder().path(temp.resolve("store")).open()) {
            store.put("speed", 1);
            store.put("color", "red");
            store.profiles().create(ProfileDefinition.named("table-3").extending("current"));
            store.put("table-3", "color", "blue");
            try (ConfigStoreConfigSource source = ConfigStoreConfigSource.of(store, "table-3", 275)) {
                SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(source).build();
                assertThat(config.getValue("color", String.class)).isEqualTo("blue");
                assertThat(config.getValue("speed", Integer.class)).isEqualTo(1);
                assertThat(source.getOrdinal()).isEqualTo(275);

                long revision = store.put("speed", 2).revision();
                await(() -> source.position() == revision, "the parent's change");
                assertThat(config.getValue("speed", Integer.class)).isEqualTo(2);
            }
            assertThatThrownBy(() -> ConfigStoreConfigSource.of(store, "nope", 100))
                    .isInstanceOf(ConfigStoreException.class).hasMessageContaining("'nope'");
        }
    }
}
