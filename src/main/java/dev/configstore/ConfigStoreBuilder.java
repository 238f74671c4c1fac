package dev.configstore;

import dev.configstore.health.HealthThresholds;
import dev.configstore.health.StoreMetrics;
import dev.configstore.internal.DefaultConfigStore;
import dev.configstore.internal.db.Ranges;
import dev.configstore.internal.db.StoreLocation;
import dev.configstore.internal.db.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Opens a {@link ConfigStore}. Every setting is optional; the defaults are documented on each
 * setter. Setters validate their argument at once; {@link #open()} checks the combination.
 *
 * <pre>{@code
 * try (ConfigStore store = ConfigStore.builder().path(Path.of("config")).open()) {
 *     store.put("api.port", 8080);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: configure and open on one thread.
 */
public final class ConfigStoreBuilder {

    private Path path;
    private String url;
    private String user;
    private String password;
    private DataSource dataSource;
    private String schema;
    private String actor;
    private Clock clock = Clock.systemUTC();
    private Durability durability = Durability.SYNC;
    private Duration refreshInterval = Duration.ofMillis(200);
    private Duration watchPollInterval = Duration.ofMillis(20);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration lockTimeout = Duration.ofSeconds(10);
    private int maxValueLength = 1_000_000;
    private Path keyringFile;
    private dev.configstore.secret.KeyProvider keyProvider;
    private int poolSize = 10;
    private int automaticRestorePoints = 20;
    private long maxImportBytes = 16L << 20;
    private HealthThresholds healthThresholds = HealthThresholds.defaults();
    private StoreMetrics metrics = StoreMetrics.NONE;
    private String readerUser;
    private String readerPassword;
    private boolean readOnly;
    private Replication replication = Replication.defaults();

    private ConfigStoreBuilder() {
    }

    static ConfigStoreBuilder create() {
        return new ConfigStoreBuilder();
    }

    /**
     * Keeps the store as an H2 file in this directory, created owner-only if missing. This is
     * the default, with {@code ./config}. Several processes may open the same directory.
     *
     * @param directory the store directory
     * @return this builder
     */
    public ConfigStoreBuilder path(Path directory) {
        this.path = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Opens the store at a JDBC URL instead of a directory: {@code jdbc:h2:...} or
     * {@code jdbc:postgresql://...}.
     *
     * @param jdbcUrl the URL
     * @return this builder
     * @throws IllegalArgumentException if the URL is neither H2 nor PostgreSQL
     */
    public ConfigStoreBuilder url(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must start with jdbc:h2: or jdbc:postgresql:, was " + jdbcUrl);
        }
        this.url = jdbcUrl;
        return this;
    }

    /**
     * Sets the database user for {@link #url(String)}. With {@link #path(Path)} the store
     * generates its own credentials and this setting is refused.
     *
     * @param user the user name
     * @param password the password, may be empty
     * @return this builder
     */
    public ConfigStoreBuilder credentials(String user, String password) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * Uses a data source the application owns and closes. The store never closes it.
     *
     * @param dataSource the data source, H2 or PostgreSQL
     * @return this builder
     */
    public ConfigStoreBuilder dataSource(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        return this;
    }

    /**
     * Keeps the store's tables in this schema, created if missing. Default: the connection's
     * default schema. Useful to share one PostgreSQL database among several stores.
     *
     * @param schema a plain SQL identifier: a letter, then letters, digits or underscores
     * @return this builder
     * @throws IllegalArgumentException if the name is not a plain identifier
     */
    public ConfigStoreBuilder schema(String schema) {
        Objects.requireNonNull(schema, "schema");
        if (!schema.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("schema must be a letter followed by up to 62 letters, digits or"
                    + " underscores, was '" + schema + "'");
        }
        this.schema = schema;
        return this;
    }

    /**
     * Names who makes the changes, recorded with every revision and operation. Default:
     * {@code user@host:pid} of this process.
     *
     * @param actor 1 to 200 characters, no control characters
     * @return this builder
     * @throws IllegalArgumentException if the name is blank, too long or has control characters
     */
    public ConfigStoreBuilder actor(String actor) {
        this.actor = StoreSettings.checkActor(actor);
        return this;
    }

    /**
     * Sets the clock that stamps revisions and operations. Default: the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public ConfigStoreBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Sets what a returned write survives. Default: {@link Durability#SYNC}.
     *
     * @param durability the durability mode
     * @return this builder
     */
    public ConfigStoreBuilder durability(Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        return this;
    }

    /**
     * Sets how often the store looks for commits made by other processes. Default: 200 ms.
     * {@link Duration#ZERO} turns the background refresh off ({@link ConfigStore#refresh()}
     * and every write still catch up).
     *
     * @param interval zero, or 10 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if the interval is out of range
     */
    public ConfigStoreBuilder refreshInterval(Duration interval) {
        this.refreshInterval = Ranges.within("refreshInterval", interval, Duration.ofMillis(10), Duration.ofHours(1),
                true, "zero or 10ms..1h");
        return this;
    }

    /**
     * Sets how long opening a PostgreSQL store waits for the server to accept the connection and
     * to log in, so an unreachable server fails the open quickly, naming the host and port. A
     * {@code connectTimeout} or {@code loginTimeout} in the URL wins. Default: 5 s.
     *
     * @param timeout 1 s to 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if the timeout is out of range
     */
    public ConfigStoreBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Ranges.within("connectTimeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(10),
                false, "1s..10m");
        return this;
    }

    /**
     * Sets how often, while a watch or live value is open, the store reads the database's head
     * revision to find commits of other processes (about 10-30 µs a read). Commits of this store
     * wake its watches at once, and on PostgreSQL every commit's notification does, so there the
     * poll runs at most once a second as a safety net. Default: 20 ms.
     *
     * @param interval 1 ms to 10 s
     * @return this builder
     * @throws IllegalArgumentException if the interval is out of range
     */
    public ConfigStoreBuilder watchPollInterval(Duration interval) {
        this.watchPollInterval = Ranges.within("watchPollInterval", interval, Duration.ofMillis(1),
                Duration.ofSeconds(10), false, "1ms..10s");
        return this;
    }

    /**
     * Sets how long a write waits for another writer's lock before it is retried. Default: 10 s.
     *
     * @param timeout 100 ms to 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if the timeout is out of range
     */
    public ConfigStoreBuilder lockTimeout(Duration timeout) {
        this.lockTimeout = Ranges.within("lockTimeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(10), false,
                "100ms..10m");
        return this;
    }

    /**
     * Sets the largest value a single write accepts, measured as characters of its JSON text.
     * Default and maximum: 1,000,000.
     *
     * @param characters 1 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ConfigStoreBuilder maxValueLength(int characters) {
        this.maxValueLength = Ranges.within("maxValueLength", characters, 1, 1_000_000);
        return this;
    }

    /**
     * Sets the number of pooled connections. Default: 10. Ignored with {@link #dataSource}.
     *
     * @param size 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ConfigStoreBuilder poolSize(int size) {
        this.poolSize = Ranges.within("poolSize", size, 1, 64);
        return this;
    }

    /**
     * Sets how many automatic restore points to keep: the store makes one before every
     * destructive write (deleting a document or profile, a restore, a replacing apply or
     * import) and then removes the oldest automatic ones beyond this count. Restore points made
     * on demand are not counted; {@code 0} makes no automatic restore points. Default: 20.
     *
     * @param count 0 to 10,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ConfigStoreBuilder automaticRestorePoints(int count) {
        this.automaticRestorePoints = Ranges.within("automaticRestorePoints", count, 0, 10_000);
        return this;
    }

    /**
     * Sets the largest input an import accepts: a file, or one member of an archive. Larger
     * input is refused before it is read whole. Default: 16 MiB.
     *
     * @param bytes 1 KiB to 1 GiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public ConfigStoreBuilder maxImportBytes(long bytes) {
        this.maxImportBytes = Ranges.within("maxImportBytes", bytes, 1024L, 1L << 30);
        return this;
    }

    /**
     * Sets the limits the health check compares against. Default: {@link HealthThresholds#defaults()}.
     *
     * @param thresholds the limits
     * @return this builder
     */
    public ConfigStoreBuilder healthThresholds(HealthThresholds thresholds) {
        this.healthThresholds = Objects.requireNonNull(thresholds, "thresholds");
        return this;
    }

    /**
     * Sets the hook the store calls once per logged operation, to feed a metrics library.
     * Default: none.
     *
     * @param hook the hook; it must be thread-safe and fast
     * @return this builder
     */
    public ConfigStoreBuilder metrics(StoreMetrics hook) {
        this.metrics = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Names the PostgreSQL role that runs read-only SQL ({@link dev.configstore.history.History#query}),
     * for a store whose user may not create roles. It needs USAGE on the store's schema and
     * SELECT on its tables and views, nothing more (never on {@code cs_setting}). Default: the
     * store creates a role of its own on first use. Not used on H2, where the store always makes
     * its own reader.
     *
     * @param user the role
     * @param password its password, may be empty
     * @return this builder
     * @throws IllegalArgumentException if the name is not a plain identifier
     */
    public ConfigStoreBuilder sqlReader(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!user.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("sqlReader user must be a plain identifier of up to 63 characters, was '"
                    + user + "'");
        }
        this.readerUser = user;
        this.readerPassword = password;
        return this;
    }

    /**
     * Sets the keyring file: the keys of the store's secrets and of its history's HMAC chain,
     * created owner-only (0600) when the first secret is written, refused at open if anyone but
     * its owner may read it. Default: for a directory store, the file beside the directory
     * ({@code config.keyring} for {@code config}); a store on a URL has none unless set.
     *
     * @param file the keyring file
     * @return this builder
     */
    public ConfigStoreBuilder keyring(Path file) {
        this.keyringFile = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Takes the keys from the application (a vault, a KMS) instead of a keyring file.
     *
     * @param provider the keys
     * @return this builder
     */
    public ConfigStoreBuilder keyProvider(dev.configstore.secret.KeyProvider provider) {
        this.keyProvider = Objects.requireNonNull(provider, "provider");
        return this;
    }

    /**
     * Opens the store only to read it, as a command that reads once and exits does. A directory
     * store that no process has open, left as the store closed it and with the current schema,
     * is read from its file as the open finds it, under a shared lock but without H2's lock file
     * or auto-server; an application that opens the store meanwhile waits until this store is
     * closed (at most its lock timeout), so keep it open briefly. Any other store opens as usual.
     * Writes, and the reads the operation log records (reveal, SQL, verify, archive export),
     * throw {@link IllegalStateException}. A store read from its file does not see later commits.
     *
     * @return this builder
     */
    public ConfigStoreBuilder readOnly() {
        this.readOnly = true;
        return this;
    }

    /**
     * How a store on a replicated PostgreSQL reads from standbys and rides out a failover; see
     * {@link Replication}. Default: {@link Replication#defaults()}.
     *
     * @param replication the settings
     * @return this builder
     */
    public ConfigStoreBuilder replication(Replication replication) {
        this.replication = Objects.requireNonNull(replication, "replication");
        return this;
    }

    /**
     * Opens the store: creates it if missing, migrates its schema, loads the head into memory.
     *
     * @return the open store
     * @throws IllegalStateException if more than one of path, url and dataSource is set, or
     *     credentials are set without a url
     * @throws ConfigStoreException with {@link ErrorCode#STORE_UNAVAILABLE} if the store cannot
     *     be created or reached, {@link ErrorCode#SCHEMA_TOO_NEW} if a newer configstore wrote it
     */
    public ConfigStore open() {
        StoreLocation location = StoreLocation.of(path, url, user, password, dataSource,
                durability.replicated() || replication.readUrl() != null);
        return DefaultConfigStore.open(new StoreSettings(location, schema,
                actor != null ? actor : StoreSettings.defaultActor(), clock, durability, refreshInterval, watchPollInterval,
                connectTimeout, lockTimeout,
                maxValueLength, poolSize, automaticRestorePoints, maxImportBytes, healthThresholds, metrics, readerUser,
                readerPassword, keyringFile, keyProvider, readOnly, replication));
    }
}
