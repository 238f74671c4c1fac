package dev.configstore.internal.watch;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.HistoryCompactedException;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.rows.ChangeRows.RevisionChanges;
import dev.configstore.watch.Watch;
import dev.configstore.watch.WatchEvent;
import dev.configstore.watch.WatchListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: its position (the last revision it looked at) and its listener. It runs on the
 * hub's workers, one run at a time: a run reads the revisions after the position up to the
 * head the hub knows, hands each that touches the request to the listener, and moves the
 * position after each. Nothing is skipped: the position only moves past a revision once it
 * was delivered or found not to touch the request.
 */
final class StoreWatch implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWatch.class);

    private final WatchHub hub;
    private final WatchedDocument watched;
    private final WatchListener listener;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long position;
    private volatile boolean open = true;
    private volatile ConfigStoreException failure;

    StoreWatch(WatchHub hub, WatchedDocument watched, long position, WatchListener listener) {
        this.hub = hub;
        this.watched = watched;
        this.position = position;
        this.listener = listener;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Optional<ConfigStoreException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        open = false;
        hub.forget(this);
    }

    /**
     * Brings the watch towards the head: on the calling thread (the hub's dispatcher) past the
     * revisions in memory that do not touch it, then, if it is still behind, with a run on a
     * worker. Nothing happens while a run is going on or queued; that run goes on to the head.
     */
    void signal(long head) {
        if (!open || position >= head || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            for (RevisionChanges next = hub.feed().cached(position + 1); next != null && position < head
                    && watched.unaffectedBy(next); next = hub.feed().cached(position + 1)) {
                position = next.revision();
            }
        } catch (RuntimeException e) {
            LOG.debug("watch of '{}': the run reads it instead", watched.document(), e);
        }
        if (open && position < head) {
            if (!hub.submit(this::run)) {
                scheduled.set(false);
            }
        } else {
            scheduled.set(false);
        }
    }

    private void run() {
        boolean again;
        try {
            again = catchUp();
        } catch (HistoryCompactedException e) {
            again = false;
            fail(e);
        } catch (ConfigStoreException e) {
            again = false;
            if (e.code() == ErrorCode.STORE_DAMAGED) {
                fail(e);
            } else {
                again = false; // the database is away or busy: the hub's next poll tries again
                LOG.debug("watch of '{}' at revision {} will retry: {}", watched.document(), position, e.getMessage());
            }
        } catch (RuntimeException e) {
            again = false;
            LOG.warn("watch of '{}' at revision {} will retry", watched.document(), position, e);
        } finally {
            scheduled.set(false);
        }
        if (again) {
            signal(hub.knownHead()); // a head that moved during the run, after the check above
        }
    }

    /** Delivers up to the known head; false if a read found nothing there (the next poll looks again). */
    private boolean catchUp() {
        while (open) {
            long head = hub.knownHead();
            if (position >= head) {
                return true;
            }
            List<RevisionChanges> revisions = hub.feed().after(position, head);
            if (revisions.isEmpty()) {
                return false; // the head the hub knows is not in the database (any more): the poll corrects it
            }
            for (RevisionChanges revision : revisions) {
                if (!open) {
                    return true;
                }
                List<KeyChange> changes = watched.changes(revision, hub::read);
                if (!changes.isEmpty()) {
                    deliver(new WatchEvent(revision.revision(), revision.committedAt().toInstant(), revision.actor(),
                            Optional.ofNullable(revision.message()), revision.operation(), changes));
                }
                position = revision.revision();
            }
        }
        return true;
    }

    private void deliver(WatchEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException | Error e) { // an Error too: it must not make the event come again
            LOG.warn("a watch listener of '{}' threw at revision {}; the watch goes on", watched.document(),
                    event.revision(), e);
            hub.listenerFailed("watch", e);
        }
    }

    /**
     * The database's head went back below this watch's position: revisions it delivered were
     * lost (a host died before writing them) and their numbers may be taken again by other
     * changes. The watch stops rather than skip those.
     */
    void headWentBack(long databaseHead) {
        if (open && position > databaseHead) {
            fail(new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "the database's head went back to revision "
                    + databaseHead + " after this watch had delivered up to revision " + position + " (the process"
                    + " holding the store stopped before those reached its disk); start a new watch after revision "
                    + databaseHead));
        }
    }

    private void fail(ConfigStoreException e) {
        if (!open) {
            return;
        }
        failure = e;
        LOG.warn("watch of '{}' stopped at revision {}: {}", watched.document(), position, e.getMessage());
        close();
        try {
            listener.onFailure(e);
        } catch (RuntimeException | Error thrown) {
            LOG.warn("a watch listener of '{}' threw on the watch's failure", watched.document(), thrown);
            hub.listenerFailed("watch", thrown);
        }
    }
}
