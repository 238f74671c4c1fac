package dev.configstore.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.Batch;
import dev.configstore.Change;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.DocumentInfo;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.backup.RestorePoints;
import dev.configstore.format.Formats;
import dev.configstore.lock.Leases;
import dev.configstore.health.VerifyResult;
import dev.configstore.profile.Profiles;
import dev.configstore.history.History;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.WritePlan.DocumentWrite;
import dev.configstore.internal.db.SqlErrors;
import dev.configstore.internal.db.StoreDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/**
 * The store: the composition root that ties the database, the head cache, the write planner,
 * the history and the verifier together. Thread-safe.
 */
public final class DefaultConfigStore implements ConfigStore {

    private final StoreSettings settings;
    private final StoreDatabase database;
    private final HeadCache cache = new HeadCache();
    /** Serializes whoever moves the cache forward: writers, the refresher, explicit refreshes. */
    private final Object applyMonitor = new Object();
    private final JooqHistory history;
    private final StoreProfiles profiles;
    private final StoreRestorePoints backups;
    private final StoreFormats formats;
    private final StoreLeases leases;
    private final StoreHealthCheck health;
    private final ScheduledExecutorService refresher;
    private volatile boolean closed;

    private DefaultConfigStore(StoreSettings settings, StoreDatabase database) {
        this.settings = settings;
        this.database = database;
        this.history = new JooqHistory(this, database);
        this.profiles = new StoreProfiles(this, database, cache);
        this.backups = new StoreRestorePoints(this, database);
        this.formats = new StoreFormats(this, database, settings.maxImportBytes());
        this.leases = new StoreLeases(this, database);
        this.health = new StoreHealthCheck(this, database);
        if (settings.refreshInterval().isZero()) {
            this.refresher = null;
        } else {
            this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "configstore-refresh");
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Opens the store described by the settings; see {@link dev.configstore.ConfigStoreBuilder#open()}. */
    public static ConfigStore open(StoreSettings settings) {
        StoreDatabase database = StoreDatabase.open(settings);
        DefaultConfigStore store = new DefaultConfigStore(settings, database);
        try {
            store.loadHead();
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

    private void loadHead() {
        database.read(context -> {
            synchronized (applyMonitor) {
                long head = StoreRows.head(context);
                cache.reset(head, StoreRows.stateAt(context, head)); // reset also checks every checksum
            }
            return null;
        });
    }

    StoreSettings settings() {
        return settings;
    }

    // ---- reads at head, from memory ----

    @Override
    public long revision() {
        ensureOpen();
        return cache.revision();
    }

    @Override
    public long refresh() {
        ensureOpen();
        return database.read(context -> {
            long head = StoreRows.head(context);
            if (head < cache.revision()) {
                synchronized (applyMonitor) {
                    // the database lost commits this process had seen (a host died before writing them)
                    cache.reset(head, StoreRows.stateAt(context, head));
                }
            }
            catchUp(context, head, true);
            return cache.revision();
        });
    }

    private void refreshQuietly() {
        try {
            if (!closed) {
                refresh();
            }
        } catch (RuntimeException e) {
            // the next tick tries again; reads keep serving the last known head meanwhile
        }
    }

    /** Brings the cache to {@code target}, which must be committed. */
    private void catchUp(DSLContext context, long target) {
        catchUp(context, target, false);
    }

    /**
     * Brings the cache to {@code target}. The rows are read in several statements; a compaction
     * that commits between them may delete rows they need, so the history floor is read before
     * and after, and on a change the reading starts over (with {@code mayAdvance}, towards the
     * newest head, since the target itself may have been compacted).
     */
    private void catchUp(DSLContext context, long target, boolean mayAdvance) {
        if (cache.revision() >= target) {
            return;
        }
        synchronized (applyMonitor) {
            long goal = target;
            for (int attempt = 1; ; attempt++) {
                long from = cache.revision();
                if (from >= goal) {
                    return;
                }
                long floor = StoreRows.historyFloor(context);
                boolean whole = from < floor;
                List<HeadCache.DocumentDelta> deltas = whole ? StoreRows.stateAt(context, goal)
                        : StoreRows.changesBetween(context, from, goal, cache.keyCount());
                if (StoreRows.historyFloor(context) == floor) {
                    if (whole) {
                        cache.reset(goal, deltas); // a compaction removed rows between here and the goal
                    } else {
                        cache.apply(goal, deltas);
                    }
                    return;
                }
                if (attempt == 5) {
                    throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "could not read a consistent head"
                            + " while history was being compacted; try again");
                }
                if (mayAdvance) {
                    goal = Math.max(goal, StoreRows.head(context));
                }
            }
        }
    }

    @Override
    public Optional<JsonNode> find(String key) {
        return find(MAIN_DOCUMENT, key);
    }

    @Override
    public Optional<JsonNode> find(String document, String key) {
        ensureOpen();
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(key, "key");
        String name = checkedName(document);
        String path = canonicalKey(key);
        requireUndamaged(name);
        return cache.find(name, path);
    }

    /** Refuses to serve a document (or one it inherits from) whose rows do not match its checksum. */
    void requireUndamaged(String document) {
        HeadCache.DocumentState damaged = cache.damageIn(document);
        if (damaged != null) {
            throw DocumentDamage.refused(damaged);
        }
    }

    /** Keys and names already checked: an application reads the same few keys over and over. */
    private static final int CHECKED_LIMIT = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<String, String> canonicalKeys =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> checkedNames = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private String canonicalKey(String key) {
        String canonical = canonicalKeys.get(key);
        if (canonical == null) {
            canonical = KeyPaths.canonical(key); // throws for a malformed key, which is never cached
            if (canonicalKeys.size() < CHECKED_LIMIT) {
                canonicalKeys.put(key, canonical);
            }
        }
        return canonical;
    }

    private String checkedName(String document) {
        if (!checkedNames.contains(document)) {
            DocumentNames.check(document);
            if (checkedNames.size() < CHECKED_LIMIT) {
                checkedNames.add(document);
            }
        }
        return document;
    }

    @Override
    public <T> Optional<T> find(String key, Class<T> type) {
        return find(MAIN_DOCUMENT, key, type);
    }

    @Override
    public <T> Optional<T> find(String document, String key, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return find(document, key).map(value -> convert(document, key, value, type));
    }

    private static <T> T convert(String document, String key, JsonNode value, Class<T> type) {
        try {
            return Json.mapper().treeToValue(value, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            String shown = Json.shorten(value.toString());
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + key + "' of document '" + document
                    + "' holds " + shown + ", which cannot be read as " + type.getSimpleName() + ": "
                    + SqlErrors.firstLine(e.getMessage()), e);
        }
    }

    @Override
    public Optional<Document> document(String name) {
        ensureOpen();
        String document = DocumentNames.check(name);
        requireUndamaged(document);
        return cache.document(document);
    }

    @Override
    public List<DocumentInfo> list() {
        ensureOpen();
        return cache.list();
    }

    // ---- reads at a past revision ----

    @Override
    public Optional<JsonNode> findAt(String document, String key, long revision) {
        String path = KeyPaths.canonical(key);
        return document(document, revision).flatMap(found -> found.find(ConfigKey.parse(path)));
    }

    @Override
    public Optional<Document> document(String name, long revision) {
        ensureOpen();
        String document = DocumentNames.check(name);
        return database.read(context -> {
            checkRevision(context, revision);
            List<Inheritance.Source> chain = chainAt(context, document, revision);
            checkRevision(context, revision); // a compaction may have removed the rows meanwhile
            if (chain.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode tree = Json.build(Inheritance.resolvedValues(chain));
            return Optional.of(new Document(document, revision, Inheritance.lastChanged(chain), tree));
        });
    }

    /** A document's chain of parents as it was at a revision; empty if it did not exist then. */
    static List<Inheritance.Source> chainAt(DSLContext context, String document, long revision) {
        return Inheritance.chain(document, name -> StoreRows.sourceAt(context, name, revision));
    }

    /**
     * Refuses revisions that do not exist: negative, beyond the committed head, or below the
     * history floor of a compaction and not pinned by a restore point.
     */
    static void checkRevision(DSLContext context, long revision) {
        if (revision < 0) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "revision " + revision + " does not exist; revisions"
                    + " start at 0");
        }
        long head = StoreRows.head(context);
        if (revision > head) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "revision " + revision + " does not exist; the head"
                    + " revision is " + head);
        }
        long floor = StoreRows.historyFloor(context);
        if (revision < floor && !StoreRows.isPinned(context, revision)) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "revision " + revision + " was compacted: history"
                    + " below revision " + floor + " is gone except the revisions restore points pin");
        }
    }

    // ---- writes ----

    @Override
    public WriteResult put(String key, Object value) {
        return put(MAIN_DOCUMENT, key, value);
    }

    @Override
    public WriteResult put(String document, String key, Object value) {
        return batch().set(document, key, value).commit();
    }

    @Override
    public WriteResult remove(String document, String key) {
        return batch().unset(document, key).commit();
    }

    @Override
    public WriteResult delete(String document) {
        return batch().delete(document).commit();
    }

    @Override
    public Batch batch() {
        ensureOpen();
        return new StoreBatch();
    }

    /**
     * What one write changes, decided inside its transaction against the head it sees.
     * {@code trusted} edits carry content the store already holds (a restore, a rename, an
     * apply): the input limits are not applied to them again, so the store can always give back
     * what it accepted, even under a lower limit or from an older version's rules.
     */
    record Edits(List<Change> changes, Map<String, DocumentMeta> metas, boolean trusted) {
        Edits {
            changes = List.copyOf(changes);
            metas = Map.copyOf(metas);
        }

        Edits(List<Change> changes, Map<String, DocumentMeta> metas) {
            this(changes, metas, false);
        }
    }

    /** The scope of the restore point made automatically before a destructive write. */
    record AutomaticPoint(String document) {
    }

    WriteResult commit(List<Change> changes, long expectedRevision, String message, String operation) {
        String logDocument = changes.stream().map(Change::document).distinct().count() == 1
                ? changes.get(0).document() : null;
        boolean deletes = changes.stream().anyMatch(change -> change instanceof Change.Delete);
        AutomaticPoint point = deletes ? new AutomaticPoint(logDocument) : null;
        return commit(operation, logDocument, message, expectedRevision, point,
                (context, head) -> new Edits(changes, Map.of()));
    }

    /**
     * Commits one revision: takes the next revision number (which locks out other writers),
     * catches the cache up to the revision before it, asks {@code edits} what to change (it
     * sees the cache at that head and the transaction), plans the rows against the cache, writes
     * them with the revision, the automatic restore point if any and the operation log row,
     * commits and syncs.
     */
    WriteResult commit(String operation, String logDocument, String message, long expectedRevision,
                       AutomaticPoint automaticPoint, java.util.function.BiFunction<DSLContext, HeadCache, Edits> edits) {
        ensureOpen();
        Operation logged = new Operation(operation, logDocument, settings);
        // Every attempt of this write carries one id. When an attempt fails with the connection
        // (the auto-server host died, the network dropped) its commit may or may not have gone
        // through; the next attempt first looks for the id, so the write is reported once and
        // never applied twice.
        String writeId = java.util.UUID.randomUUID().toString().replace("-", "");
        long startedFrom = cache.revision();
        int[] attempts = {0};
        try {
            Committed committed = database.write(context -> {
                if (attempts[0]++ > 0) {
                    long earlier = StoreRows.revisionOfWrite(context, writeId, startedFrom);
                    if (earlier >= 0) {
                        throw new AlreadyCommitted(earlier, StoreRows.keysOf(context, earlier));
                    }
                }
                long revision = StoreRows.nextRevision(context, settings.clock().instant(), settings.actor(), message,
                        operation, writeId);
                List<DocumentWrite> writes;
                synchronized (applyMonitor) {
                    if (cache.revision() > revision - 1) {
                        // the database lost commits this process had seen: its host died before they
                        // reached the disk. Start again from what the database holds.
                        cache.reset(revision - 1, StoreRows.stateAt(context, revision - 1));
                    }
                    catchUp(context, revision - 1);
                    Edits planned = edits.apply(context, cache);
                    writes = WritePlan.plan(cache, planned.changes(), planned.metas(), expectedRevision,
                            settings.maxValueLength(), planned.trusted());
                }
                if (writes.isEmpty()) {
                    throw new NothingChanged(revision - 1);
                }
                StoreRows.writeDocuments(context, revision, writes);
                if (automaticPoint != null && settings.automaticRestorePoints() > 0) {
                    RestorePointRows.insertAutomatic(context, revision - 1, automaticPoint.document(), operation,
                            settings);
                }
                logged.logSuccess(context, revision);
                return new Committed(revision, writes);
            }, this::applyCommitted);
            if (cache.revision() < committed.revision) {
                refresh(); // another writer's revision was not applied yet: read both from the database
            }
            int keys = committed.writes.stream().mapToInt(write -> write.leaves().size()).sum();
            logged.succeeded();
            return new WriteResult(committed.revision, true, keys);
        } catch (AlreadyCommitted earlier) {
            database.syncNow(); // it reached the file before its host died; make sure it reached the disk
            refresh();
            logged.succeeded();
            return new WriteResult(earlier.revision, true, earlier.keys);
        } catch (NothingChanged unchanged) {
            logged.succeeded();
            return new WriteResult(unchanged.head, false, 0);
        } catch (RuntimeException e) {
            throw logged.failed(e, database);
        }
    }

    /**
     * Moves the cache to a revision this store just committed, before the commit is synced and
     * before this store's next writer starts, so that writer finds the cache current and reads
     * nothing back from the database. Never throws: a cache left behind is caught up later.
     */
    private void applyCommitted(Committed committed) {
        try {
            synchronized (applyMonitor) {
                if (cache.revision() == committed.revision - 1) {
                    cache.apply(committed.revision, WritePlan.deltas(committed.writes, committed.revision));
                }
            }
        } catch (RuntimeException e) {
            // the caller sees the cache behind its revision and refreshes from the database
        }
    }

    /**
     * Plans a write against the head without writing anything: what {@link #commit} would
     * change, as key changes. Catches up with other processes first.
     */
    List<KeyChange> preview(long expectedRevision, java.util.function.BiFunction<DSLContext, HeadCache, Edits> edits) {
        ensureOpen();
        return database.read(context -> {
            catchUp(context, StoreRows.head(context));
            synchronized (applyMonitor) {
                Edits planned = edits.apply(context, cache);
                return WritePlan.changes(WritePlan.plan(cache, planned.changes(), planned.metas(), expectedRevision,
                        settings.maxValueLength(), planned.trusted()));
            }
        });
    }

    /** Starts an operation that the log and the metrics hook will see. */
    Operation operation(String operation, String document) {
        return new Operation(operation, document, settings);
    }

    /**
     * Runs an operation that writes rows but no revision (restore points, compaction) in one
     * transaction with its operation log row; a failure is logged in its own transaction.
     */
    <T> T loggedWrite(String operation, String document, java.util.function.Function<DSLContext, T> work) {
        ensureOpen();
        Operation logged = operation(operation, document);
        try {
            T result = database.write(context -> {
                T done = work.apply(context);
                logged.logSuccess(context, null);
                return done;
            });
            logged.succeeded();
            return result;
        } catch (RuntimeException e) {
            throw logged.failed(e, database);
        }
    }

    /** Runs an operation that writes no revision and logs it, successful or not. */
    <T> T logged(String operation, String document, Supplier<T> work) {
        Operation logged = operation(operation, document);
        try {
            T result = work.get();
            database.write(context -> {
                logged.logSuccess(context, null);
                return null;
            });
            logged.succeeded();
            return result;
        } catch (ConfigStoreException e) {
            throw logged.failed(e, database);
        }
    }

    private record Committed(long revision, List<DocumentWrite> writes) {
    }

    /** An earlier attempt of this write committed, as its write id shows. */
    private static final class AlreadyCommitted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long revision;
        final int keys;

        AlreadyCommitted(long revision, int keys) {
            super(null, null, false, false);
            this.revision = revision;
            this.keys = keys;
        }
    }

    /** Rolls back a write that would change nothing, so it takes no revision number. */
    private static final class NothingChanged extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long head;

        NothingChanged(long head) {
            super(null, null, false, false);
            this.head = head;
        }
    }

    private final class StoreBatch implements Batch {
        private final List<Change> changes = new ArrayList<>();
        private long expectedRevision = -1;
        private String message;
        private boolean committed;

        @Override
        public Batch set(String document, String key, Object value) {
            return add(new Change.Set(DocumentNames.check(document), ConfigKey.parse(key), Json.toTree(value)));
        }

        @Override
        public Batch unset(String document, String key) {
            return add(new Change.Unset(DocumentNames.check(document), ConfigKey.parse(key)));
        }

        @Override
        public Batch replace(String document, Object tree) {
            JsonNode node = Json.toTree(tree);
            if (!node.isObject()) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "a document must be a JSON object, got "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            return add(new Change.Replace(DocumentNames.check(document), (ObjectNode) node));
        }

        @Override
        public Batch delete(String document) {
            return add(new Change.Delete(DocumentNames.check(document)));
        }

        @Override
        public Batch add(Change change) {
            Objects.requireNonNull(change, "change");
            DocumentNames.check(change.document());
            changes.add(change);
            return this;
        }

        @Override
        public Batch expectRevision(long revision) {
            if (revision < 0) {
                throw new IllegalArgumentException("expected revision must be >= 0, was " + revision);
            }
            this.expectedRevision = revision;
            return this;
        }

        @Override
        public Batch message(String message) {
            Objects.requireNonNull(message, "message");
            if (message.length() > 2000) {
                throw new IllegalArgumentException("message must be at most 2000 characters, was " + message.length());
            }
            this.message = message;
            return this;
        }

        @Override
        public WriteResult commit() {
            if (committed) {
                throw new IllegalStateException("this batch was already committed; start a new one");
            }
            if (changes.isEmpty()) {
                throw new IllegalStateException("the batch has no changes");
            }
            committed = true;
            return DefaultConfigStore.this.commit(List.copyOf(changes), expectedRevision, message, operationName());
        }

        private String operationName() {
            if (changes.size() > 1) {
                return "batch";
            }
            Change change = changes.get(0);
            if (change instanceof Change.Set) {
                return "set";
            } else if (change instanceof Change.Unset) {
                return "unset";
            } else if (change instanceof Change.Replace) {
                return "replace";
            }
            return "delete";
        }
    }

    // ---- history and integrity ----

    @Override
    public History history() {
        ensureOpen();
        return history;
    }

    @Override
    public Profiles profiles() {
        ensureOpen();
        return profiles;
    }

    @Override
    public RestorePoints backups() {
        ensureOpen();
        return backups;
    }

    /** Loads the head whole again, after rows were written around the write path (an archive restore). */
    void reloadHead() {
        database.read(context -> {
            synchronized (applyMonitor) {
                long head = StoreRows.head(context);
                cache.reset(head, StoreRows.stateAt(context, head));
            }
            return null;
        });
    }

    @Override
    public Leases locks() {
        ensureOpen();
        return leases;
    }

    @Override
    public Formats formats() {
        ensureOpen();
        return formats;
    }

    @Override
    public VerifyResult verify() {
        return verify(null);
    }

    @Override
    public VerifyResult verify(dev.configstore.health.VerifyProgress progress) {
        ensureOpen();
        return logged("verify", null, () -> database.read(context -> Verifier.verify(context, progress)));
    }

    @Override
    public dev.configstore.health.StoreHealth health() {
        ensureOpen();
        return health;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
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

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }


    /** How many leaves a document (or, for null, every document) holds at head. */
    long keyCount(String document) {
        return document == null ? cache.keyCount() : cache.keyCount(document);
    }

    /** For tests and the benchmark: {syncs performed, commits that waited for one}. */
    public long[] syncCounters() {
        return database.syncCounters();
    }

}
