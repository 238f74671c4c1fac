package dev.configstore.internal.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Makes commits durable with as few file writes and syncs as possible. A writer that has
 * committed takes a ticket and waits until a sync that <em>started</em> after its ticket has
 * finished; the first writer to find no sync running becomes the leader and syncs for everybody
 * who took a ticket before it started. Under load, many commits share one sync (group commit).
 * "Sync" is whatever the action does: write the committed pages to the file, and force the file
 * to the disk when the store is opened for power-loss durability.
 */
final class GroupSync {

    /** The action that makes everything committed so far durable. */
    interface SyncAction {
        void sync(Connection connection) throws SQLException;
    }

    private final SyncAction action;
    private final Object lock = new Object();
    private long ticketsIssued;
    private long ticketsSynced;
    private boolean syncing;
    private long syncs;

    GroupSync(SyncAction action) {
        this.action = action;
    }

    /** Returns once everything this thread committed before the call is on disk. */
    void awaitDurable(Connection connection) throws SQLException {
        long covers;
        synchronized (lock) {
            long ticket = ++ticketsIssued;
            while (true) {
                if (ticketsSynced >= ticket) {
                    return;
                }
                if (!syncing) {
                    syncing = true;
                    covers = ticketsIssued;
                    break;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for the commit to reach the disk", e);
                }
            }
        }
        boolean done = false;
        try {
            action.sync(connection);
            done = true;
        } finally {
            synchronized (lock) {
                syncing = false;
                if (done) {
                    ticketsSynced = Math.max(ticketsSynced, covers);
                    syncs++;
                }
                lock.notifyAll();
            }
        }
    }

    /** How many syncs ran; with {@link #tickets()} this shows how well commits were grouped. */
    long syncs() {
        synchronized (lock) {
            return syncs;
        }
    }

    long tickets() {
        synchronized (lock) {
            return ticketsIssued;
        }
    }
}
