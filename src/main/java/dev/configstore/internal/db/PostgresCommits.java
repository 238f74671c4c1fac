package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.Durability;
import dev.configstore.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;

/**
 * Commits on a PostgreSQL server that may replicate synchronously. A commit there waits until a
 * synchronous standby confirmed it, for ever when none is left (a promoted standby keeps
 * {@code synchronous_standby_names}); {@code statement_timeout} does not end that wait, a
 * cancel request does: the transaction then stays committed on the primary. So every write's
 * commit is cancelled after the failover timeout, and a store that promised replicated writes
 * reports such a commit as unconfirmed (a watchdog thread checks the commits under way every
 * 100 ms). Such a store also checks, at most once a second, that the server has a synchronous
 * standby before it writes. Writers of revisions queue on an advisory lock first. Thread-safe.
 */
final class PostgresCommits implements Committer {

    private static final java.util.Set<InFlight> IN_FLIGHT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    static {
        daemon(PostgresCommits::watch, "configstore-commit-watchdog");
    }

    private final Durability durability;
    private final long timeoutMillis;
    private final boolean setPerTransaction;
    private volatile long standbySeenAt = System.nanoTime() - 2 * CHECK_EVERY_NANOS;

    /** {@code setPerTransaction}: the connections come from an application, which does not set synchronous_commit. */
    PostgresCommits(Durability durability, Duration failoverTimeout, boolean setPerTransaction) {
        this.durability = durability;
        this.timeoutMillis = failoverTimeout.toMillis();
        this.setPerTransaction = setPerTransaction;
    }

    /** The session setting for {@code durability}, or null where the server's default applies. */
    static String synchronousCommit(Durability durability) {
        return switch (durability) {
            case PROCESS -> "off";
            case REPLICATED -> "on";
            case REPLICATED_APPLIED -> "remote_apply";
            case SYNC -> null;
        };
    }

    /**
     * Writers of the store, in every process, queue here in arrival order before they read the
     * head: without it a writer that plans slowly (a cold process, a large import) loses the race
     * for the next revision number to a busy one again and again. Held until the transaction ends.
     */
    static final String WRITERS_QUEUE =
            "SELECT pg_advisory_xact_lock(hashtext('configstore writers ' || current_schema()))";

    @Override
    public void beforeWrite(Connection connection, boolean queue) throws SQLException {
        String setting = synchronousCommit(durability);
        try (Statement statement = connection.createStatement()) {
            if (setPerTransaction && setting != null) {
                statement.execute("SET LOCAL synchronous_commit = " + setting);
            }
            if (queue) {
                statement.execute(WRITERS_QUEUE);
            }
        }
        if (!durability.replicated() || System.nanoTime() - standbySeenAt < CHECK_EVERY_NANOS) {
            return;
        }
        try (Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT current_setting('synchronous_standby_names'),"
                     + " (SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum'))")) {
            row.next();
            String names = row.getString(1);
            if (names == null || names.isBlank()) {
                throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "the server has no synchronous standby"
                        + " configured (synchronous_standby_names is empty), and the store was opened with Durability."
                        + durability + ": set synchronous_standby_names on the primary, or open the store with"
                        + " Durability.SYNC and accept that a write can be lost with the primary");
            }
            if (row.getLong(2) == 0) {
                throw new MissingStandby("no synchronous standby is connected to the primary"
                        + " (synchronous_standby_names = '" + names + "'), and the store was opened with Durability."
                        + durability + ": nothing was written. Start a standby, or relax synchronous_standby_names"
                        + " on the server and open the store with Durability.SYNC");
            }
        }
        standbySeenAt = System.nanoTime();
    }

    @Override
    public String commit(Connection connection) throws SQLException {
        InFlight commit = new InFlight(connection, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        IN_FLIGHT.add(commit);
        try {
            connection.commit();
        } finally {
            IN_FLIGHT.remove(commit);
            commit.awaitCancelDelivered(); // a cancel delivered later could hit the connection's next user
        }
        boolean unconfirmed = commit.cancelled.get() || waitWasCancelled(connection.getWarnings());
        connection.clearWarnings();
        if (!unconfirmed || !durability.replicated()) {
            return null; // as durable as a commit on one server: all a store that did not ask for replication promised
        }
        return "the primary committed it, but no synchronous standby confirmed it within " + timeoutMillis
                + " ms (is a standby connected? synchronous_standby_names on the primary names the ones it waits"
                + " for); it is lost if the primary is lost before a standby copies it";
    }

    /** A commit under way, which the watchdog cancels past its deadline. Identity, not value, is its equality. */
    private static final class InFlight {
        final Connection connection;
        final long deadline;
        final AtomicBoolean cancelled = new AtomicBoolean();
        volatile Thread canceller;

        InFlight(Connection connection, long deadline) {
            this.connection = connection;
            this.deadline = deadline;
        }

        void awaitCancelDelivered() {
            if (!cancelled.get()) {
                return;
            }
            for (int i = 0; canceller == null && i < 100; i++) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the watchdog is starting it
            }
            Thread thread = canceller;
            if (thread != null) {
                try {
                    thread.join(10_000); // pgjdbc gives up on a cancel after its cancelSignalTimeout (10 s)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Every tenth of a second: cancels the commits past their deadline (cheaper than a timer task per commit). */
    private static void watch() {
        while (true) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (InFlight commit : IN_FLIGHT) {
                if (now - commit.deadline > 0 && commit.cancelled.compareAndSet(false, true)) {
                    commit.canceller = cancelInBackground(commit.connection);
                }
            }
        }
    }

    /**
     * A write found committed after its connection broke during COMMIT may have ended its wait for
     * the standby early (the session was cancelled or terminated): waits up to the failover timeout
     * for a synchronous standby to have everything the primary flushed so far (the write included).
     */
    @Override
    public String confirm(Connection connection) throws SQLException {
        if (!durability.replicated()) {
            return null;
        }
        String column = durability == Durability.REPLICATED_APPLIED ? "replay_lsn" : "flush_lsn";
        try {
            String lsn;
            try (Statement statement = connection.createStatement();
                 var row = statement.executeQuery("SELECT pg_current_wal_flush_lsn()")) {
                row.next();
                lsn = row.getString(1);
            }
            boolean confirmed = ServerPoll.until(connection, "SELECT count(*) FROM pg_stat_replication WHERE"
                    + " sync_state IN ('sync', 'quorum') AND " + column + " >= '" + lsn + "'::pg_lsn", 1,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            return confirmed ? null : "the primary has it, but no synchronous standby confirmed it within "
                    + timeoutMillis + " ms; it is lost if the primary is lost before a standby copies it";
        } finally {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
    }

    /** PostgreSQL's warning when a cancel ended the wait for a standby ("canceling wait for synchronous ..."). */
    private static boolean waitWasCancelled(SQLWarning warning) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            if (w.getMessage() != null && w.getMessage().contains("synchronous replication")) {
                return true;
            }
        }
        return false;
    }

    /** A cancel request opens a connection of its own, which can wait on a server that stopped answering. */
    private static Thread cancelInBackground(Connection connection) {
        return daemon(() -> {
            try {
                connection.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                // the commit ends through the socket timeout then
            }
        }, "configstore-commit-cancel");
    }

    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** No synchronous standby is connected: a write waits for one up to the failover timeout. */
    static final class MissingStandby extends ConfigStoreException {

        private static final long serialVersionUID = 1L;

        MissingStandby(String message) {
            super(ErrorCode.STORE_UNAVAILABLE, message);
        }
    }
}
