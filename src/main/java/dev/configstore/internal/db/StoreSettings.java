package dev.configstore.internal.db;

import dev.configstore.Durability;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Everything the builder collected, validated. */
public record StoreSettings(StoreLocation location, String schema, String actor, Clock clock, Durability durability,
                            Duration refreshInterval, Duration watchPollInterval, Duration connectTimeout,
                            Duration lockTimeout, int maxValueLength, int poolSize,
                            int automaticRestorePoints, long maxImportBytes,
                            dev.configstore.health.HealthThresholds healthThresholds,
                            dev.configstore.health.StoreMetrics metrics, String readerUser, String readerPassword,
                            java.nio.file.Path keyringFile, dev.configstore.secret.KeyProvider keyProvider,
                            boolean readOnly, dev.configstore.Replication replication) {

    public StoreSettings {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(watchPollInterval, "watchPollInterval");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(replication, "replication");
    }

    /**
     * The keyring file: the one configured, else for a directory store the file beside the
     * directory ({@code config.keyring} for {@code config}), outside it so that a copy of the
     * store's directory does not carry its keys; null otherwise (or when a provider gives the keys).
     */
    public java.nio.file.Path keyringPath() {
        if (keyProvider != null) {
            return null;
        }
        if (keyringFile != null) {
            return keyringFile;
        }
        if (location instanceof StoreLocation.Directory directory) {
            java.nio.file.Path absolute = directory.path().toAbsolutePath().normalize();
            return absolute.resolveSibling(absolute.getFileName() + ".keyring");
        }
        return null;
    }

    /** The default actor: {@code user@host:pid}. */
    public static String defaultActor() {
        String user = System.getProperty("user.name", "unknown");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String actor = user + "@" + host + ":" + ProcessHandle.current().pid();
        return actor.length() > 200 ? actor.substring(0, 200) : actor;
    }

    /** Validates an actor name, as the builder and batches accept it. */
    public static String checkActor(String actor) {
        Objects.requireNonNull(actor, "actor");
        if (actor.isBlank() || actor.length() > 200 || actor.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "actor must be 1..200 characters without control characters, was '" + actor.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return actor;
    }

}
