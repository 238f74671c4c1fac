package dev.configstore.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wake-ups from PostgreSQL: every write of a revision sends {@code NOTIFY} on the store's
 * channel (delivered when it commits), and one connection outside the pool listens. A
 * notification is only a hint that the head moved: PostgreSQL drops those sent while the
 * listener is reconnecting, so readers still poll, less often.
 */
final class PostgresWakeups implements AutoCloseable {

    /** The store's channel: one per schema, short enough for any schema name. */
    static final String CHANNEL = "'cs_' || md5(current_schema())";

    /** Sends the notification in the write's transaction. */
    static final String NOTIFY = "SELECT pg_notify(" + CHANNEL + ", ?)";

    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final String channel;
    private final LongConsumer wake;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    private PostgresWakeups(Connector connector, String channel, LongConsumer wake) {
        this.connector = connector;
        this.channel = channel;
        this.wake = wake;
        this.thread = new Thread(this::listen, "configstore-watch-listen");
        thread.setDaemon(true);
    }

    static PostgresWakeups start(Connector connector, String channel, LongConsumer wake) {
        PostgresWakeups wakeups = new PostgresWakeups(connector, channel, wake);
        wakeups.thread.start();
        return wakeups;
    }

    private void listen() {
        while (!closed) {
            try (Connection listening = connector.connect()) {
                connection = listening;
                listening.setAutoCommit(true); // a LISTEN inside a transaction that never commits never starts
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
                }
                PGConnection postgres = listening.unwrap(PGConnection.class);
                wake.accept(-1); // notifications sent before LISTEN are lost: look once
                while (!closed) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    long newest = -1;
                    for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
                        try {
                            newest = Math.max(newest, Long.parseLong(notification.getParameter()));
                        } catch (NumberFormatException e) {
                            newest = Math.max(newest, 0);
                        }
                    }
                    if (newest >= 0) {
                        wake.accept(newest);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    pause(); // the server went away: the poll covers the gap, listen again later
                }
            }
        }
    }

    /** A connection outside the store's pool, for one that waits a long time (a LISTEN). */
    static Connection dedicated(javax.sql.DataSource dataSource, com.zaxxer.hikari.HikariDataSource ownedPool)
            throws SQLException {
        if (ownedPool == null) {
            return dataSource.getConnection();
        }
        java.util.Properties properties = new java.util.Properties();
        if (ownedPool.getUsername() != null) {
            properties.setProperty("user", ownedPool.getUsername());
        }
        if (ownedPool.getPassword() != null) {
            properties.setProperty("password", ownedPool.getPassword());
        }
        return java.sql.DriverManager.getConnection(ownedPool.getJdbcUrl(), properties);
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection listening = connection;
        if (listening != null) {
            try {
                listening.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // it is being closed anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
