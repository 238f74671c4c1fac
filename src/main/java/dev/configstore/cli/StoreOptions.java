package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreBuilder;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ParentCommand;

/** Opens the store the global options name; every command that needs a store extends it. */
abstract class StoreOptions {

    @ParentCommand
    Main main;

    ConfigStore openStore() {
        return open(main);
    }

    /**
     * Opens the store for a command that only reads it once: the cheapest open (a store that no
     * process holds is read from its file without taking it, see ConfigStoreBuilder.readOnly).
     */
    ConfigStore openForReading() {
        return open(main, ConfigStoreBuilder::readOnly);
    }

    /** Opens the store the global options of {@code main} name. */
    static ConfigStore open(Main main) {
        return open(main, builder -> { });
    }

    /** Opens the store the global options of {@code main} name, with a command's own settings. */
    static ConfigStore open(Main main, java.util.function.Consumer<ConfigStoreBuilder> settings) {
        ConfigStoreBuilder builder = ConfigStore.builder().refreshInterval(Duration.ZERO);
        if (main.store != null && main.url != null) {
            throw new IllegalArgumentException("give either --store or --url, not both");
        }
        String url = main.url != null ? main.url : main.store == null ? main.environment.get("CONFIGSTORE_URL") : null;
        if (url != null && !url.isBlank()) {
            builder.url(url);
        } else {
            builder.path(Path.of(main.store != null ? main.store : "config"));
        }
        if (main.actor != null) {
            builder.actor(main.actor);
        }
        String keyring = main.keyring != null ? main.keyring : main.environment.get("CONFIGSTORE_KEYRING");
        if (keyring != null && !keyring.isBlank()) {
            builder.keyring(Path.of(keyring));
        }
        dev.configstore.Replication replication = dev.configstore.Replication.defaults();
        String readUrl = main.readUrl != null ? main.readUrl : main.environment.get("CONFIGSTORE_READ_URL");
        if (readUrl != null && !readUrl.isBlank()) {
            replication = replication.readUrl(readUrl);
        }
        if (main.failoverSeconds != null) {
            replication = replication.failoverTimeout(Duration.ofSeconds(main.failoverSeconds));
        }
        if (main.durability != null) {
            builder.durability(main.durability);
        }
        settings.accept(builder.replication(replication));
        return builder.open();
    }
}
