package dev.configstore.internal.write;

import dev.configstore.Change;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.WriteResult;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.db.StoreSettings;
import dev.configstore.internal.document.DocumentDelta;
import dev.configstore.internal.document.DocumentWrite;
import dev.configstore.internal.document.Keyring;
import dev.configstore.internal.document.RevisionDigest;
import dev.configstore.internal.document.SchemaBook;
import dev.configstore.internal.rows.ChainRows;
import dev.configstore.internal.rows.RestorePointRows;
import dev.configstore.internal.rows.SchemaRows;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.WriteOutcome.AlreadyCommitted;
import dev.configstore.internal.write.WriteOutcome.NothingChanged;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/**
 * The write kernel: every write of the store goes through here. It owns the head cache and the
 * rule that the cache moves forward in commit order, and runs a write as one unit: the turn and
 * the revision number, the plan against the head, the rows, the automatic restore point, the
 * operation-log row, the commit, the cache update, the sync and the metrics call. Operations
 * that write rows but no revision (restore points, leases, compaction) and read operations that
 * are logged go through {@link #loggedWrite} and {@link #logged}. Thread-safe.
 */
public final class RevisionWriter {

    /** Ids of writes (see {@link #run}): unpredictable, so two processes do not pick the same. */
    private static final java.security.SecureRandom WRITE_IDS = new java.security.SecureRandom();

    private final StoreSettings settings;
    private final StoreDatabase database;
    private final HeadCache cache = new HeadCache();
    private final SchemaBook schemas = new SchemaBook();
    private final Keyring keyring;
    /**
     * The one lock behind "the cache moves forward in commit order": the database takes it as
     * the writers' turn from before a write's revision number until its commit is applied here,
     * and the refresher, explicit refreshes and reloads take it to move the cache themselves.
     */
    private final ReentrantLock turn;
    private volatile boolean closed;
    private volatile LongConsumer headListener = revision -> { };

    public RevisionWriter(StoreSettings settings, StoreDatabase database) {
        this.settings = settings;
        this.database = database;
        this.turn = database.writerTurn();
        this.keyring = settings.keyProvider() != null ? Keyring.of(settings.keyProvider())
                : settings.keyringPath() != null ? Keyring.file(settings.keyringPath()) : Keyring.none();
        keyring.checkBeforeCreating(() -> database.read(ChainRows::refuseNewKeyring));
    }

    public StoreSettings settings() {
        return settings;
    }

    public StoreDatabase database() {
        return database;
    }

    /** The keys of secrets and of the chain's HMACs, if the store has any. */
    public Keyring keyring() {
        return keyring;
    }

    /** The documents' JSON Schemas, compiled once each. */
    public SchemaBook schemas() {
        return schemas;
    }

    /** The cache of the head, for readers; only this class moves it. */
    public HeadCache head() {
        return cache;
    }

    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    /** Refuses an operation that writes (its rows or its operation-log row) on a store opened read-only. */
    private void ensureWritable() {
        ensureOpen();
        database.refuseIfReadOnly();
    }

    /**
     * Refuses every later call; the database is closed by its owner.
     *
     * @return whether this call closed it (false: it was closed already)
     */
    public boolean close() {
        boolean wasOpen = !closed;
        closed = true;
        return wasOpen;
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- the head ----

    /** Loads the head whole from the database (at open, and after rows were written around this class). */
    public void reloadHead() {
        database.read(context -> {
            turn.lock();
            try {
                long head = StoreRows.head(context);
                cache.reset(head, StoreRows.stateAt(context, head)); // reset also checks every checksum
            } finally {
                turn.unlock();
            }
            return null;
        });
    }

    /** Tells {@code listener} (the watches) each new head: own commits, others' caught up with. Must not block. */
    public void onHeadAdvanced(LongConsumer listener) {
        this.headListener = Objects.requireNonNull(listener, "listener");
    }

    /** Catches the cache up with the database's head; returns the head revision. */
    public long refresh() {
        ensureOpen();
        long seen = cache.revision(); // before the read: a commit made known during it proves nothing
        long caughtUp = database.read(context -> {
            long head = StoreRows.head(context);
            if (head < seen) {
                turn.lock();
                try {
                    // the database lost commits this process had seen (a host died before writing them)
                    cache.restartAfterLoss(head, StoreRows.stateAt(context, head));
                } finally {
                    turn.unlock();
                }
            }
            catchUp(context, head, true);
            return cache.revision();
        });
        headListener.accept(caughtUp);
        return caughtUp;
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
        turn.lock();
        try {
            long goal = target;
            for (int attempt = 1; ; attempt++) {
                long from = cache.revision();
                if (from >= goal) {
                    return;
                }
                long floor = StoreRows.historyFloor(context);
                boolean whole = from < floor;
                List<DocumentDelta> deltas = whole ? StoreRows.stateAt(context, goal)
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
        } finally {
            turn.unlock();
        }
    }

    // ---- writes of a revision ----

    /** A batch of changes from the API, with the automatic restore point a delete asks for. */
    WriteResult commit(List<Change> changes, long expectedRevision, String message, String operation) {
        String logDocument = changes.stream().map(Change::document).distinct().count() == 1
                ? changes.get(0).document() : null;
        boolean deletes = changes.stream().anyMatch(change -> change instanceof Change.Delete);
        AutomaticPoint point = deletes ? new AutomaticPoint(logDocument) : null;
        return run(new Write(operation, logDocument, message, expectedRevision, point),
                (context, head) -> new Edits(changes, Map.of()));
    }

    /**
     * Commits one revision: takes the next revision number (which locks out other writers),
     * catches the cache up to the revision before it, asks {@code edits} what to change (it
     * sees the cache at that head and the transaction), plans the rows against the cache, writes
     * them with the revision, the automatic restore point if any and the operation log row,
     * commits, moves the cache and syncs.
     */
    public WriteResult run(Write write, BiFunction<DSLContext, HeadCache, Edits> edits) {
        ensureWritable();
        Operation logged = new Operation(write.operation(), write.logDocument(), settings);
        // Every attempt of this write carries one id. When an attempt fails with the connection
        // (the auto-server host died, the network dropped) its commit may or may not have gone
        // through; the next attempt first looks for the id, so the write is reported once and
        // never applied twice.
        long writeId = WRITE_IDS.nextLong();
        long startedFrom = cache.revision();
        int[] attempts = {0};
        Committed[] applied = {null};
        try {
            Committed committed = database.write(context -> {
                if (attempts[0]++ > 0) {
                    long earlier = StoreRows.revisionOfWrite(context, writeId, startedFrom);
                    logged.retried(earlier >= 0);
                    if (earlier >= 0) {
                        throw new AlreadyCommitted(earlier, StoreRows.keysOf(context, earlier));
                    }
                }
                java.time.Instant committedAt = RevisionDigest.stored(settings.clock().instant());
                StoreRows.HeadLink head = StoreRows.headLink(context);
                long revision = head.revision() + 1;
                List<DocumentWrite> writes;
                Map<String, String> valid;
                turn.lock();
                try {
                    if (cache.revision() > revision - 1) {
                        // the database lost commits this process had seen: its host died before they
                        // reached the disk. Start again from what the database holds.
                        cache.restartAfterLoss(revision - 1, StoreRows.stateAt(context, revision - 1));
                    }
                    catchUp(context, revision - 1, false);
                    Edits planned = edits.apply(context, cache);
                    writes = WritePlan.plan(cache, planned.changes(), planned.metas(), write.expectedRevision(),
                            settings.maxValueLength(), planned.trusted(), keyring::seal);
                    valid = SchemaCheck.check(cache, writes, planned.unchecked(), schemas,
                            hash -> SchemaRows.text(context, hash));
                } finally {
                    turn.unlock();
                }
                if (writes.isEmpty()) {
                    throw new NothingChanged(revision - 1);
                }
                // The revision row goes in first: its key is the writers' lock (a writer elsewhere that
                // took the same number fails here and starts over). It is complete, chain hash and
                // operation-log data included: one insert per table, no update.
                String chainHash = new RevisionDigest(revision, committedAt, settings.actor(), write.message(),
                        write.operation()).writes(writes).chain(head.chainHash() != null ? head.chainHash()
                        : ChainRows.previousHash(context, revision)); // the first revision, or one before the chain
                var mac = keyring.mac();
                StoreRows.RevisionRow row = logged.revisionRow(revision, committedAt, write.message(), writeId,
                        chainHash, mac == null ? null : mac.apply(chainHash));
                StoreRows.insertRevision(context, row);
                StoreRows.writeDocuments(context, revision, writes);
                if (keyring.takeCreated()) { // a keyring made for this write signs the history before it
                    ChainRows.fillMacs(context, keyring.mac());
                }
                database.announce(context, revision);
                if (write.automaticPoint() != null && settings.automaticRestorePoints() > 0) {
                    RestorePointRows.insertAutomatic(context, revision - 1, write.automaticPoint().document(),
                            write.operation(), settings);
                }
                logged.settleDuration(context, row);
                return new Committed(revision, writes, valid);
            }, done -> applyCommitted(applied[0] = done));
            if (cache.revision() < committed.revision) {
                refresh(); // another writer's revision was not applied yet: read both from the database
            }
            headListener.accept(committed.revision);
            int keys = committed.writes.stream().mapToInt(documentWrite -> documentWrite.leaves().size()).sum();
            logged.succeeded();
            return new WriteResult(committed.revision, true, keys);
        } catch (AlreadyCommitted earlier) {
            database.syncNow(earlier.revision); // it reached the file (the primary) before the host died: the disk (a standby)?
            refresh();
            logged.succeeded();
            return new WriteResult(earlier.revision, true, earlier.keys);
        } catch (NothingChanged unchanged) {
            logged.succeeded();
            return new WriteResult(unchanged.head, false, 0);
        } catch (dev.configstore.UnconfirmedWriteException e) {
            headListener.accept(applied[0].revision);
            throw logged.failed(new dev.configstore.UnconfirmedWriteException(applied[0].revision, "revision "
                    + applied[0].revision + ": " + e.getMessage(), e), database);
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
            turn.lock();
            try {
                committed.valid.forEach((document, hash) -> schemas.rememberValid(document, hash, committed.revision));
                if (cache.revision() == committed.revision - 1) {
                    cache.apply(committed.revision, WritePlan.deltas(committed.writes, committed.revision));
                }
            } finally {
                turn.unlock();
            }
        } catch (RuntimeException e) {
            // the caller sees the cache behind its revision and refreshes from the database
        }
    }

    /**
     * Plans a write against the head without writing anything: what {@link #run} would change,
     * as key changes. Catches up with other processes first.
     */
    public List<KeyChange> preview(long expectedRevision, BiFunction<DSLContext, HeadCache, Edits> edits) {
        ensureOpen();
        return database.read(context -> {
            catchUp(context, StoreRows.head(context), false);
            turn.lock();
            try {
                Edits planned = edits.apply(context, cache);
                List<DocumentWrite> writes = WritePlan.plan(cache, planned.changes(), planned.metas(), expectedRevision,
                        settings.maxValueLength(), planned.trusted(), keyring::seal);
                SchemaCheck.check(cache, writes, planned.unchecked(), schemas, hash -> SchemaRows.text(context, hash));
                return WritePlan.changes(writes);
            } finally {
                turn.unlock();
            }
        });
    }

    // ---- operations without a revision ----

    /** Starts an operation that the log and the metrics hook will see. */
    public Operation operation(String operation, String document) {
        return new Operation(operation, document, settings);
    }

    /**
     * Runs an operation that writes rows but no revision (restore points, compaction) in one
     * transaction with its operation log row; a failure is logged in its own transaction.
     */
    public <T> T loggedWrite(String operation, String document, Function<DSLContext, T> work) {
        ensureWritable();
        Operation logged = operation(operation, document);
        try {
            T result = database.write(context -> {
                T done = work.apply(context);
                logged.logSuccess(context);
                return done;
            });
            logged.succeeded();
            return result;
        } catch (RuntimeException e) {
            throw logged.failed(e, database);
        }
    }

    /** Runs an operation that writes no revision and logs it, successful or not. */
    public <T> T logged(String operation, String document, Supplier<T> work) {
        ensureWritable();
        Operation logged = operation(operation, document);
        try {
            T result = work.get();
            database.write(context -> {
                logged.logSuccess(context);
                return null;
            });
            logged.succeeded();
            return result;
        } catch (ConfigStoreException e) {
            throw logged.failed(e, database);
        }
    }

    private record Committed(long revision, List<DocumentWrite> writes, Map<String, String> valid) {
    }
}
