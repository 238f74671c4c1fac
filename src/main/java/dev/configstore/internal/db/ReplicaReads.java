package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Reads through a standby (the read URL): a read that must see revision R first asks the
 * standby for its newest revision and waits, polling, up to the replica wait for it to replay R.
 * It then reads in the same transaction, whose later statements see at least as much (between
 * polls it holds no transaction, which would hold up the replay it waits for); a standby
 * still behind, or one that fails, leaves the read to the primary. Thread-safe.
 */
final class ReplicaReads implements AutoCloseable {

    private final HikariDataSource pool;
    private final SQLDialect dialect;
    private final long waitNanos;
    private final AtomicLong onStandby = new AtomicLong();
    private final AtomicLong onPrimary = new AtomicLong();

    ReplicaReads(HikariDataSource pool, SQLDialect dialect, Duration wait) {
        this.pool = pool;
        this.dialect = dialect;
        this.waitNanos = wait.toNanos();
    }

    /** A result from the standby; {@code fallback} runs it on the primary when the standby cannot. */
    <T> T read(long atLeast, Function<DSLContext, T> work, Function<Function<DSLContext, T>, T> fallback) {
        try (Connection connection = pool.getConnection()) {
            try {
                if (awaitRevision(connection, atLeast)) {
                    T result = work.apply(DSL.using(connection, dialect, StoreDatabase.JOOQ_SETTINGS));
                    onStandby.incrementAndGet();
                    return result;
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException | org.jooq.exception.DataAccessException e) {
            // the standby went away or is being promoted: the primary answers
        }
        onPrimary.incrementAndGet();
        return fallback.apply(work);
    }

    private boolean awaitRevision(Connection connection, long atLeast) throws SQLException {
        return ServerPoll.until(connection, "SELECT COALESCE(MAX(revision), 0) FROM cs_revision", atLeast,
                System.nanoTime() + waitNanos);
    }

    /** Reads answered by the standby and by the primary, for tests and measurements. */
    long[] counters() {
        return new long[] {onStandby.get(), onPrimary.get()};
    }

    @Override
    public void close() {
        pool.close();
    }
}
