package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Transactions on the store's database: the writers' turn inside this process, retries with
 * bounded backoff on transient errors, the hand-over of a committed result before the next
 * writer starts, and the group sync that makes a commit durable. Thread-safe.
 */
final class Transactions {

    private static final int MAX_ATTEMPTS = 12;

    private final DataSource dataSource;
    private final SQLDialect dialect;
    private final String description;
    private final GroupSync groupSync;
    private final Committer committer;
    /** How long a lost connection (or a missing synchronous standby) is retried, in nanoseconds; 0: by attempts. */
    private final long failoverNanos;
    private final ReentrantLock writerLock = new ReentrantLock();
    private final ReentrantReadWriteLock maintenance = new ReentrantReadWriteLock();

    /**
     * {@code groupSync} is null where a commit is durable when it returns (PostgreSQL);
     * {@code failover} is how long connection losses are retried, zero for a bounded number of attempts.
     */
    Transactions(DataSource dataSource, SQLDialect dialect, String description, GroupSync groupSync,
                 Committer committer, java.time.Duration failover) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
        this.groupSync = groupSync;
        this.committer = committer;
        this.failoverNanos = failover.toNanos();
    }

    /** The writers' turn of this process, which the write kernel also takes to move its head cache. */
    ReentrantLock writerTurn() {
        return writerLock;
    }

    /** Held shared by every database call and exclusively while H2 compacts its file offline. */
    ReentrantReadWriteLock maintenance() {
        return maintenance;
    }

    /**
     * Runs a write transaction like {@link #write(Function)}, and hands its result to
     * {@code committed} right after the commit, before waiting for the disk and before the next
     * writer of this store starts: in-memory state follows the commits in their order.
     */
    <T> T write(Function<DSLContext, T> work, java.util.function.Consumer<T> committed) {
        return run(work, true, committed);
    }

    /** Runs a read-only unit of work in a transaction, retried on transient errors. */
    <T> T read(Function<DSLContext, T> work) {
        return run(work, false, null);
    }

    private <T> T run(Function<DSLContext, T> work, boolean durable, java.util.function.Consumer<T> committed) {
        maintenance.readLock().lock();
        try {
            return runWithRetries(work, durable, committed);
        } finally {
            maintenance.readLock().unlock();
        }
    }

    private <T> T runWithRetries(Function<DSLContext, T> work, boolean durable,
                                 java.util.function.Consumer<T> committed) {
        long failoverDeadline = 0;
        boolean commitLost = false; // an attempt's connection broke during its COMMIT: it may have committed
        for (int attempt = 1; ; attempt++) {
            boolean locked = false;
            try (Connection connection = dataSource.getConnection()) {
                if (durable) {
                    // Writers of one process take turns before they reach the database: they would
                    // queue on the revision key anyway, and H2 was seen to corrupt a concurrent
                    // writer's committed row when another one rolled back after waiting on it.
                    writerLock.lock();
                    locked = true;
                }
                if (connection.getAutoCommit()) {
                    connection.setAutoCommit(false); // an application's data source may hand out auto-commit connections
                }
                T result;
                String unconfirmed = null;
                try {
                    if (durable) {
                        committer.beforeWrite(connection, committed != null); // the writers of revisions queue
                    }
                    result = work.apply(DSL.using(connection, dialect, StoreDatabase.JOOQ_SETTINGS));
                    if (durable) {
                        try {
                            unconfirmed = committer.commit(connection);
                        } catch (SQLException lost) {
                            commitLost |= SqlErrors.isFailover(lost);
                            throw lost;
                        }
                    } else {
                        connection.commit();
                    }
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(connection, e); // an aborted transaction must not keep its locks
                    if (e instanceof AssertionError && connection.isClosed()) {
                        // pgjdbc asserts instead of throwing when the connection breaks during a batch
                        throw new SQLException("the connection broke: " + e.getMessage(), "08006", e);
                    }
                    throw e;
                }
                try {
                    if (committed != null) {
                        committed.accept(result); // must not throw: the transaction is committed, nothing may retry it
                    }
                } finally {
                    if (locked) {
                        writerLock.unlock();
                        locked = false;
                    }
                }
                // the sync runs outside the turn, so the next writer commits while this one syncs
                if (durable && groupSync != null) {
                    groupSync.awaitDurable(connection);
                }
                if (unconfirmed != null) {
                    throw new UnconfirmedCommit(unconfirmed);
                }
                return result;
            } catch (Error e) {
                if (locked) {
                    writerLock.unlock(); // the next writer must not wait for ever on a thread that failed
                }
                throw e;
            } catch (SQLException | RuntimeException e) {
                if (locked) {
                    writerLock.unlock();
                }
                boolean diskFault = SqlErrors.diskProblem(e) != null || SqlErrors.ioProblem(e) != null;
                if (failoverNanos > 0 && SqlErrors.isFailover(e)) {
                    // the primary went away or lost its standby: keep trying (every host of the URL) for a while
                    long now = System.nanoTime();
                    failoverDeadline = failoverDeadline == 0 ? now + failoverNanos : failoverDeadline;
                    if (now - failoverDeadline < 0) {
                        backOff(Math.min(attempt, 7));
                        continue;
                    }
                }
                if (attempt < MAX_ATTEMPTS && SqlErrors.isTransient(e) && !diskFault) {
                    backOff(attempt);
                    continue;
                }
                if (e instanceof RuntimeException runtime && SqlErrors.sqlCause(e) == null && !diskFault
                        && !(e instanceof org.h2.mvstore.MVStoreException)) {
                    // the store's own errors pass unchanged (a conflict found after the lost commit was looked up)
                    boolean unreached = commitLost && runtime instanceof PostgresCommits.MissingStandby;
                    throw unreached ? outcomeUnknown(runtime) : runtime;
                }
                ConfigStoreException failure = SqlErrors.translate(durable ? "writing to the store " + description
                        : "reading the store " + description, e);
                throw commitLost ? outcomeUnknown(failure) : failure;
            }
        }
    }

    /**
     * A failure to reach a primary after an attempt whose connection broke during COMMIT: the
     * caller must not take the write as not done (the write kernel looks the write up when it
     * reaches a primary again, which this one never did).
     */
    private static RuntimeException outcomeUnknown(RuntimeException failure) {
        if (!(failure instanceof ConfigStoreException known)) {
            return failure;
        }
        return new ConfigStoreException(known.code(), known.getMessage() + ". The outcome is unknown: the"
                + " connection broke while an earlier attempt was committing, so it may have been committed on a"
                + " server this process could not reach since; read the history before writing it again", known);
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    static void backOff(int attempt) {
        long cap = Math.min(500, 2L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "interrupted while retrying a transaction", e);
        }
    }

    /**
     * Makes everything committed so far durable, as a write of this store would: synced to disk
     * (H2), or confirmed by a synchronous standby where the store asked for that (PostgreSQL).
     *
     * @return null, or what is not confirmed (the commits stay)
     */
    String syncNow() {
        maintenance.readLock().lock();
        try (Connection connection = dataSource.getConnection()) {
            if (groupSync == null) {
                return committer.confirm(connection);
            }
            groupSync.awaitDurable(connection);
            return null;
        } catch (SQLException e) {
            throw SqlErrors.translate("syncing the store " + description, e);
        } finally {
            maintenance.readLock().unlock();
        }
    }

    /** Syncs performed and commits that asked for one, for measuring group commit. */
    long[] syncCounters() {
        return groupSync == null ? new long[] {0, 0} : new long[] {groupSync.syncs(), groupSync.tickets()};
    }
}
