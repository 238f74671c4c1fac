package dev.configstore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Opens a fresh store per test on the given backend, with a fixed clock, and closes it after.
 * A test fails if it left a connection of the store's pool in use, or another store open on the
 * same H2 file.
 */
public final class StoreExtension implements BeforeEachCallback, AfterEachCallback {

    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final Backend backend;
    private final UnaryOperator<ConfigStoreBuilder> customizer;
    private Path temp;
    private ConfigStore store;

    public StoreExtension(Backend backend) {
        this(backend, UnaryOperator.identity());
    }

    public StoreExtension(Backend backend, UnaryOperator<ConfigStoreBuilder> customizer) {
        this.backend = backend;
        this.customizer = customizer;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        temp = Files.createTempDirectory("configstore-test");
        store = customizer.apply(backend.newStore(temp).clock(Clock.fixed(NOW, ZoneOffset.UTC)).actor("tester"))
                .open();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        String leak = null;
        try {
            if (store instanceof dev.configstore.internal.DefaultConfigStore owned) {
                // the background refresh borrows a connection for a few milliseconds now and then;
                // a connection a test leaked stays borrowed
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (owned.connectionsInUse() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                if (owned.connectionsInUse() > 0) {
                    leak = "the test left " + owned.connectionsInUse() + " connection(s) of the store's pool in use";
                }
            }
            if (store != null) {
                store.close();
            }
            String open = backend.stillOpen();
            if (leak == null && open != null) {
                leak = open;
            }
            backend.cleanUp();
        } finally {
            try (Stream<Path> files = Files.walk(temp)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        if (leak != null) {
            throw new AssertionError(leak);
        }
    }

    public ConfigStore store() {
        return store;
    }

    public Backend backend() {
        return backend;
    }

    /** Closes the store and opens it again on the same database. */
    public ConfigStore reopen() {
        return reopen(UnaryOperator.identity());
    }

    /** Closes the store and opens it again on the same database, with some settings changed. */
    public ConfigStore reopen(UnaryOperator<ConfigStoreBuilder> settings) {
        store.close();
        store = settings.apply(customizer.apply(backend.sameStore()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .actor("tester")).open();
        return store;
    }
}
