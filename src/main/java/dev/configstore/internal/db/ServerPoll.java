package dev.configstore.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks a server one query again and again until its answer (the first column of the first row,
 * a number) reaches a value or a deadline passes. The transaction ends between tries: a standby
 * query holding a table lock would hold up the replay it waits for, and PostgreSQL reads backend
 * activity (which {@code pg_stat_replication} joins) once per transaction. Pauses grow from
 * 0.1 ms to 20 ms.
 */
final class ServerPoll {

    private ServerPoll() {
    }

    /** Whether {@code query} answered at least {@code wanted} before {@code deadlineNanos} (System.nanoTime()). */
    static boolean until(Connection connection, String query, long wanted, long deadlineNanos) throws SQLException {
        long pauseMicros = 100;
        try (Statement statement = connection.createStatement()) {
            while (true) {
                try (var row = statement.executeQuery(query)) {
                    if (row.next() && row.getLong(1) >= wanted) {
                        return true;
                    }
                }
                if (System.nanoTime() - deadlineNanos >= 0 || Thread.currentThread().isInterrupted()) {
                    return false;
                }
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                LockSupport.parkNanos(pauseMicros * 1000);
                pauseMicros = Math.min(pauseMicros * 2, 20_000);
            }
        }
    }
}
