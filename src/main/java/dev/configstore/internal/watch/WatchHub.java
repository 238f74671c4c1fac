package dev.configstore.internal.watch;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.db.StoreSettings;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.rows.ChangeRows;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.RevisionWriter;
import dev.configstore.watch.LiveValue;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchListener;
import dev.configstore.watch.WatchRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's watches and what wakes them. The head this process knows moves with its own
 * commits (told by the write kernel), with a poll of the database's head while any watch is
 * open, and on PostgreSQL with the NOTIFY every commit sends. Each move signals the watches
 * behind it; they read the revisions themselves, so a missed wake-up delays an event and never
 * loses one. Listeners run on the hub's worker threads, never on a writer's. Thread-safe.
 */
public final class WatchHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);
    /** With PostgreSQL's notifications waking the watches, the poll is only the safety net. */
    private static final Duration NOTIFIED_POLL = Duration.ofSeconds(1);

    private final RevisionWriter writer;
    private final StoreDatabase database;
    private final StoreSettings settings;
    private final RevisionFeed feed;
    private final Set<StoreWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicLong knownHead = new AtomicLong();
    private final ExecutorService workers;
    private final ScheduledExecutorService poller;
    private final Object listening = new Object();
    private AutoCloseable notifications; // guarded by listening
    private volatile long lastPoll = System.nanoTime() - NOTIFIED_POLL.toNanos();
    private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread dispatcher;
    private volatile boolean closed;

    public WatchHub(RevisionWriter writer, StoreSettings settings) {
        this.writer = writer;
        this.database = writer.database();
        this.settings = settings;
        this.feed = new RevisionFeed(database);
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(runnable -> daemon(runnable,
                "configstore-watch-" + threads.incrementAndGet()));
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "configstore-watch-poll"));
        this.dispatcher = daemon(this::dispatch, "configstore-watch-dispatch");
    }

    /**
     * Starts the dispatcher, the poll and the notifications with the first watch: a store that
     * never watches starts no thread and its commits tell no one.
     */
    private void startOnce() {
        synchronized (listening) {
            if (notifications != null || closed) {
                return;
            }
            dispatcher.start();
            long millis = settings.watchPollInterval().toMillis();
            poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
            writer.onHeadAdvanced(this::headAdvanced);
            try {
                notifications = database.listenForCommits(this::notified);
            } catch (RuntimeException e) {
                LOG.debug("no commit notifications; the poll serves", e);
            }
            if (notifications == null) {
                notifications = () -> { };
            }
        }
    }

    /** The hub whose thread this is, on the hub's own threads. */
    private static final ThreadLocal<WatchHub> OWNER = new ThreadLocal<>();

    private Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(() -> {
            OWNER.set(this);
            runnable.run();
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts a watch; see {@link ConfigStore#watch(WatchRequest, WatchListener)}. */
    public Watch watch(WatchRequest request, WatchListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        writer.ensureOpen();
        String document = DocumentNames.check(request.document());
        String key = request.key().map(Object::toString).orElse(null);
        Start start = read(context -> start(context, document, request.afterRevision(), false));
        return register(new StoreWatch(this, new WatchedDocument(document, key, start.chain), start.after, listener));
    }

    /** Binds a live value; see {@link ConfigStore#bind(String, String, Class)}. */
    public <T> LiveValue<T> bind(String document, String key, Class<T> type) {
        Objects.requireNonNull(type, "type");
        writer.ensureOpen();
        String name = DocumentNames.check(document);
        String path = dev.configstore.ConfigKey.parse(key).toString();
        WatchedDocument watched = new WatchedDocument(name, path, List.of());
        Object[] initial = read(context -> {
            Start start = start(context, name, WatchRequest.HEAD, true);
            return new Object[] {start, watched.resolved(context, start.chain, start.after)};
        });
        Start start = (Start) initial[0];
        @SuppressWarnings("unchecked")
        TreeMap<String, Inheritance.Supplied> leaves = (TreeMap<String, Inheritance.Supplied>) initial[1];
        StoreLiveValue<T> live = StoreLiveValue.create(name, path, type, start.after, leaves, this::listenerFailed);
        live.watching(register(new StoreWatch(this, new WatchedDocument(name, path, start.chain), start.after, live)));
        return live;
    }

    private record Start(long after, List<String> chain) {
    }

    /** Checks a watch's start against the database: the revision exists and was not compacted, the document exists. */
    private Start start(DSLContext context, String document, long requested, boolean mustExistNow) {
        long head = StoreRows.head(context);
        long after = requested == WatchRequest.HEAD ? head : requested;
        if (after > head) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "a watch cannot start after revision " + after
                    + ": the head is revision " + head);
        }
        ChangeRows.checkFloor(context, after);
        List<String> chain = WatchedDocument.chainAt(context, document, after);
        // a name that never existed is a mistake; one that was deleted may come back, and its history is there
        boolean known = mustExistNow ? !chain.isEmpty()
                : document.equals(ConfigStore.MAIN_DOCUMENT) || StoreRows.latestVersions(context, head, document).containsKey(document);
        if (!known) {
            throw new ConfigStoreException(ErrorCode.NOT_FOUND, "there is no document or profile '" + document + "'");
        }
        return new Start(after, chain);
    }

    private StoreWatch register(StoreWatch watch) {
        watches.add(watch);
        if (closed) {
            watch.close();
            writer.ensureOpen();
        }
        startOnce();
        headAdvanced(writer.head().revision());
        return watch;
    }

    private void notified(long revision) {
        if (revision < 0) {
            poll();
        } else {
            headAdvanced(revision);
        }
    }

    private void poll() {
        if (watches.isEmpty() || closed) {
            return;
        }
        boolean notifiedEngine = database.dialect().family() == org.jooq.SQLDialect.POSTGRES;
        long now = System.nanoTime();
        if (notifiedEngine && now - lastPoll < NOTIFIED_POLL.toNanos()) {
            resignal();
            return;
        }
        lastPoll = now;
        // every revision known before the read was committed before it began, so the read must
        // see it; one that a commit made known during the read proves nothing (a stale read
        // once stopped a healthy watch here as if the database had lost revisions)
        long knownBefore = knownHead.get();
        long head;
        try {
            head = read(StoreRows::head);
        } catch (RuntimeException e) {
            LOG.debug("polling the head failed; next time", e);
            return;
        }
        if (head < knownBefore) {
            headWentBack(head);
        }
        headAdvanced(head);
    }

    /**
     * The database lost revisions this process had seen (the process holding an H2 file died
     * before writing them): their numbers will be taken again by other changes. Forget them, and
     * stop the watches that delivered them rather than skip the new ones.
     */
    private void headWentBack(long head) {
        knownHead.set(head);
        feed.forgetAfter(head);
        for (StoreWatch watch : watches) {
            watch.headWentBack(head);
        }
    }

    /** Runs a read of the database for a watch. */
    <T> T read(Function<DSLContext, T> work) {
        return database.read(work);
    }

    /** Notes a head; the writer's thread calls this after each commit, so it only wakes the dispatcher. */
    private void headAdvanced(long revision) {
        knownHead.accumulateAndGet(revision, Math::max);
        resignal();
    }

    /** Wakes the dispatcher, which offers the known head to every watch. */
    private void resignal() {
        pending.set(true);
        LockSupport.unpark(dispatcher);
    }

    /**
     * The dispatcher's loop: on each wake-up, reads the new revisions once into the shared feed
     * and offers the head to every watch; a watch the new revisions do not touch moves on right
     * here, the others get a run on a worker.
     */
    private void dispatch() {
        while (!closed) {
            if (!pending.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            long head = knownHead.get();
            if (watches.isEmpty()) {
                continue;
            }
            try {
                feed.extendTo(head);
            } catch (RuntimeException e) {
                LOG.debug("reading the new revisions failed; the watches read them themselves", e);
            }
            for (StoreWatch watch : watches) {
                watch.signal(head);
            }
        }
    }

    long knownHead() {
        return knownHead.get();
    }

    RevisionFeed feed() {
        return feed;
    }

    boolean submit(Runnable run) {
        try {
            workers.execute(run);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void forget(StoreWatch watch) {
        watches.remove(watch);
    }

    void listenerFailed(String listener, Throwable error) {
        try {
            settings.metrics().listenerFailed(listener, error);
        } catch (RuntimeException ignored) {
            // a metrics hook that throws is ignored, as everywhere
        }
    }

    /** Closes every watch and stops the threads; a delivery in progress finishes. */
    @Override
    public void close() {
        closed = true;
        for (StoreWatch watch : watches) {
            watch.close();
        }
        synchronized (listening) {
            if (notifications != null) {
                try {
                    notifications.close();
                } catch (Exception e) {
                    LOG.debug("closing the notification listener", e);
                }
            }
        }
        poller.shutdownNow();
        LockSupport.unpark(dispatcher);
        workers.shutdown();
        if (OWNER.get() == this) {
            return; // closed by one of its own listeners: that run ends when the listener returns
        }
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
