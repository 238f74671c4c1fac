package dev.configstore.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.Batch;
import dev.configstore.ConfigStore;
import dev.configstore.Document;
import dev.configstore.DocumentInfo;
import dev.configstore.WriteResult;
import dev.configstore.backup.RestorePoints;
import dev.configstore.format.Formats;
import dev.configstore.health.StoreHealth;
import dev.configstore.health.VerifyProgress;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.History;
import dev.configstore.internal.backup.StoreRestorePoints;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.db.StoreSettings;
import dev.configstore.internal.format.StoreFormats;
import dev.configstore.internal.health.StoreHealthCheck;
import dev.configstore.internal.history.JooqHistory;
import dev.configstore.internal.lock.StoreLeases;
import dev.configstore.internal.profile.StoreProfiles;
import dev.configstore.internal.read.HeadReads;
import dev.configstore.internal.schema.StoreSchemas;
import dev.configstore.schema.Schemas;
import dev.configstore.internal.read.RevisionReads;
import dev.configstore.internal.write.RevisionWriter;
import dev.configstore.internal.watch.WatchHub;
import dev.configstore.internal.write.StoreBatch;
import dev.configstore.watch.LiveValue;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchListener;
import dev.configstore.watch.WatchRequest;
import dev.configstore.lock.Leases;
import dev.configstore.profile.Profiles;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The store's facade and composition root: it wires the database, the write kernel, the reads
 * and the feature services together and hands each call to the one that owns it. Thread-safe.
 */
public final class DefaultConfigStore implements ConfigStore {

    static {
        // jOOQ prints a logo and a "tip of the day" through the host application's logger on first
        // use; an embedded library must not. An application that sets the properties keeps its choice.
        // Every store opens through this class before jOOQ is touched.
        for (String quiet : new String[] {"org.jooq.no-logo", "org.jooq.no-tips"}) {
            if (System.getProperty(quiet) == null) {
                System.setProperty(quiet, "true");
            }
        }
    }

    private final StoreDatabase database;
    private final RevisionWriter writer;
    private final HeadReads head;
    private final RevisionReads past;
    private final JooqHistory history;
    private final StoreProfiles profiles;
    private final StoreRestorePoints backups;
    private final StoreFormats formats;
    private final StoreLeases leases;
    private final StoreHealthCheck health;
    private final WatchHub watches;
    private final StoreSchemas schemas;
    private final dev.configstore.internal.secret.StoreSecrets secrets;
    private final ScheduledExecutorService refresher;

    private DefaultConfigStore(StoreSettings settings, StoreDatabase database) {
        this.database = database;
        this.writer = new RevisionWriter(settings, database);
        this.head = new HeadReads(writer);
        this.past = new RevisionReads(writer, database);
        this.history = new JooqHistory(writer, head);
        this.profiles = new StoreProfiles(writer, head);
        this.backups = new StoreRestorePoints(writer, history);
        this.formats = new StoreFormats(writer, head, past, profiles, history);
        this.leases = new StoreLeases(writer);
        this.health = new StoreHealthCheck(writer, head);
        this.watches = new WatchHub(writer, settings);
        this.schemas = new StoreSchemas(writer);
        this.secrets = new dev.configstore.internal.secret.StoreSecrets(writer);
        this.refresher = settings.refreshInterval().isZero() ? null
                : Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "configstore-refresh");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Opens the store described by the settings; see {@link dev.configstore.ConfigStoreBuilder#open()}. */
    public static ConfigStore open(StoreSettings settings) {
        StoreDatabase database = StoreDatabase.open(settings);
        DefaultConfigStore store = new DefaultConfigStore(settings, database);
        try {
            store.writer.reloadHead();
            if (!database.isReadOnly()) {
                // a read-only store that was opened as usual (not at rest) may have migrated: it
                // finishes what a migration leaves, then refuses writes from here on
                store.fillChain();
            }
            if (settings.readOnly()) {
                database.refuseWrites();
            }
            if (store.refresher != null) {
                long millis = settings.refreshInterval().toMillis();
                store.refresher.scheduleWithFixedDelay(store::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
            }
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Gives the revisions of a store made before the hash chain their hashes, once. A store that
     * cannot be written now (a read-only file) is left as it is: verify --chain then says so.
     */
    private void fillChain() {
        try {
            if (database.read(dev.configstore.internal.rows.ChainRows::missing)) {
                database.write(dev.configstore.internal.rows.ChainRows::fillMissing);
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DefaultConfigStore.class).warn("the history's hash chain could not be"
                    + " filled in for the revisions written before it existed: {}", e.getMessage());
        }
    }

    private void refreshQuietly() {
        try {
            if (!writer.isClosed()) {
                writer.refresh();
            }
        } catch (RuntimeException e) {
            // the next tick tries again; reads keep serving the last known head meanwhile
        }
    }

    @Override
    public long revision() {
        writer.ensureOpen();
        return writer.head().revision();
    }

    @Override
    public long refresh() {
        return writer.refresh();
    }

    @Override
    public Optional<JsonNode> find(String key) {
        return head.find(MAIN_DOCUMENT, key);
    }

    @Override
    public Optional<JsonNode> find(String document, String key) {
        return head.find(document, key);
    }

    @Override
    public <T> Optional<T> find(String key, Class<T> type) {
        return head.find(MAIN_DOCUMENT, key, type);
    }

    @Override
    public <T> Optional<T> find(String document, String key, Class<T> type) {
        return head.find(document, key, type);
    }

    @Override
    public Optional<Document> document(String name) {
        return head.document(name);
    }

    @Override
    public List<DocumentInfo> list() {
        return head.list();
    }

    @Override
    public Optional<JsonNode> findAt(String document, String key, long revision) {
        return past.find(document, key, revision);
    }

    @Override
    public Optional<Document> document(String name, long revision) {
        return past.document(name, revision);
    }

    @Override
    public WriteResult put(String key, Object value) {
        return put(MAIN_DOCUMENT, key, value);
    }

    @Override
    public WriteResult put(String document, String key, Object value) {
        return batch().set(document, key, value).commit();
    }

    @Override
    public WriteResult unset(String key) {
        return unset(MAIN_DOCUMENT, key);
    }

    @Override
    public WriteResult unset(String document, String key) {
        return batch().unset(document, key).commit();
    }

    @Override
    public WriteResult delete(String document) {
        return batch().delete(document).commit();
    }

    @Override
    public Batch batch() {
        writer.ensureOpen();
        return new StoreBatch(writer);
    }

    @Override
    public Watch watch(WatchRequest request, WatchListener listener) {
        return watches.watch(request, listener);
    }

    @Override
    public <T> LiveValue<T> bind(String key, Class<T> type) {
        return watches.bind(MAIN_DOCUMENT, key, type);
    }

    @Override
    public <T> LiveValue<T> bind(String document, String key, Class<T> type) {
        return watches.bind(document, key, type);
    }

    @Override
    public History history() {
        writer.ensureOpen();
        return history;
    }

    @Override
    public Profiles profiles() {
        writer.ensureOpen();
        return profiles;
    }

    @Override
    public RestorePoints backups() {
        writer.ensureOpen();
        return backups;
    }

    @Override
    public Leases locks() {
        writer.ensureOpen();
        return leases;
    }

    @Override
    public Formats formats() {
        writer.ensureOpen();
        return formats;
    }

    @Override
    public StoreHealth health() {
        writer.ensureOpen();
        return health;
    }

    @Override
    public dev.configstore.secret.Secrets secrets() {
        writer.ensureOpen();
        return secrets;
    }

    @Override
    public Schemas schemas() {
        writer.ensureOpen();
        return schemas;
    }

    @Override
    public void close() {
        if (!writer.close()) {
            return;
        }
        watches.close();
        health.close();
        if (refresher != null) {
            refresher.shutdownNow();
            try {
                refresher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        database.close();
    }

    /** For the tests' leak check: connections of the store's pool in use now. */
    public int connectionsInUse() {
        return database.connectionsInUse();
    }

    /** For tests and the benchmark: {reads a standby answered, reads the primary answered} through the read URL. */
    public long[] replicaCounters() {
        return database.replicaCounters();
    }

    /** For tests and the benchmark: {syncs performed, commits that waited for one}. */
    public long[] syncCounters() {
        return database.syncCounters();
    }
}
