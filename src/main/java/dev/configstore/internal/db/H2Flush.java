package dev.configstore.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.h2.engine.SessionLocal;
import org.h2.engine.SessionRemote;
import org.h2.jdbc.JdbcConnection;

/**
 * Writes everything H2 has committed so far to its file and, when asked, forces the file to
 * the disk.
 *
 * <p>H2 keeps commits in memory and writes them every WRITE_DELAY milliseconds (500 by default),
 * so after a commit the store writes them itself: one write (and one fsync) then covers every
 * commit made meanwhile. In the process that owns the file this goes straight to H2's MVStore;
 * through another process's auto-server it is {@code CHECKPOINT} or {@code CHECKPOINT SYNC}.
 *
 * <p>Either way H2's background writer must be off in the process that owns the file. While it
 * runs, H2 hands chunk writes to two executor threads; a store it started may still be queued
 * there when our commit returns (ours is skipped, the version having moved), and the sync that
 * follows then does not cover it: the write is acknowledged and lost if that process dies a
 * moment later. A WRITE_DELAY of 0 stops the writer and its executors, so every store runs to
 * the end in the thread that asked for it. The owning process may be any process that opened
 * the file first, and a different one after it died, so the setting is made through every
 * session before its first flush, and again after H2 moved the session to a new host.
 */
final class H2Flush {

    /** Remote sessions that set WRITE_DELAY 0 on their host, with the reconnect count they did it at. */
    private static final Map<SessionRemote, Integer> HOST_WRITES_INLINE =
            Collections.synchronizedMap(new WeakHashMap<>());

    private H2Flush() {
    }

    /** Makes every commit of the database behind {@code connection} written, and synced when asked. */
    static void flush(Connection connection, boolean sync) throws SQLException {
        JdbcConnection h2 = connection.unwrap(JdbcConnection.class);
        if (h2.getSession() instanceof SessionLocal local) {
            var mvStore = local.getDatabase().getStore().getMvStore();
            var fileStore = mvStore.getFileStore();
            if (fileStore == null) {
                return; // an in-memory database: nothing to write
            }
            if (mvStore.getAutoCommitDelay() != 0) {
                mvStore.setAutoCommitDelay(0);
            }
            mvStore.commit();
            if (sync) {
                fileStore.sync();
            }
            return;
        }
        try (Statement statement = connection.createStatement()) {
            SessionRemote remote = h2.getSession() instanceof SessionRemote r ? r : null;
            int reconnects = remote == null ? 0 : remote.getLastReconnect();
            if (remote != null && !Integer.valueOf(reconnects).equals(HOST_WRITES_INLINE.get(remote))) {
                statement.execute("SET WRITE_DELAY 0");
                HOST_WRITES_INLINE.put(remote, reconnects);
            }
            statement.execute(sync ? "CHECKPOINT SYNC" : "CHECKPOINT");
            if (remote != null && remote.getLastReconnect() != reconnects) {
                // H2 reconnected the session to another host on the way: the commit was made on the
                // old one, which is gone, and this checkpoint ran on the new one
                throw new SQLException("the process hosting the store went away before the commit was on disk;"
                        + " whether it was written is unknown", "08006");
            }
        }
    }
}
