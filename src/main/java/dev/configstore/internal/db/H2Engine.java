package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.ConfigStoreException;
import dev.configstore.Durability;
import dev.configstore.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReadWriteLock;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/** H2: an embedded file shared through its auto-server, made durable by the store itself. */
final class H2Engine implements Engine {

    static final H2Engine INSTANCE = new H2Engine();
    private static final String LOOPBACK = "127.0.0.1";

    private H2Engine() {
    }

    @Override
    public SQLDialect dialect() {
        return SQLDialect.H2;
    }

    @Override
    public String prepareUrl(String url, StoreSettings settings) {
        requireLoopbackAutoServer();
        H2CrashRecovery.recoverUrlFile(url);
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        String prepared = url;
        if (H2CrashRecovery.fileName(url) != null && !upper.contains("DATABASE_EVENT_LISTENER=")) {
            prepared += H2OpenRecovery.URL_SETTING; // a file another process may take over: see H2OpenRecovery
        }
        if (!upper.contains("LOCK_TIMEOUT=")) {
            prepared += ";LOCK_TIMEOUT=" + settings.lockTimeout().toMillis();
        }
        return prepared;
    }

    @Override
    public void configurePool(HikariConfig config, StoreSettings settings) {
        // everything H2 needs is in the URL
    }

    @Override
    public String poolSchema(String schema) {
        return null;
    }

    /** A user the store makes, with a password kept in memory (the directory's is in its credentials file). */
    @Override
    public SqlReader reader(DataSource admin, String url, StoreSettings settings) {
        return new H2Reader(admin, url, "CONFIGSTORE_READER", SqlReader.secret(), false);
    }

    @Override
    public GroupSync groupSync(Durability durability) {
        boolean sync = durability == Durability.SYNC;
        return new GroupSync(connection -> H2Flush.flush(connection, sync));
    }

    @Override
    public Committer committer(StoreSettings settings, boolean applicationConnections) {
        if (settings.durability().replicated()) {
            throw new IllegalStateException("Durability." + settings.durability() + " needs a PostgreSQL server with a"
                    + " synchronous standby; an H2 store has no standby");
        }
        return Committer.PLAIN;
    }

    /** A host that died is replaced by the next process that opens the file: a few attempts cover it. */
    @Override
    public java.time.Duration failoverWindow(StoreSettings settings) {
        return java.time.Duration.ZERO;
    }

    @Override
    public void createSchema(DataSource dataSource, String schema) {
        // an H2 store is the whole database
    }

    @Override
    public void afterMigrate(StoreDatabase database) {
        // a power loss right after creation must not lose the schema itself
        database.write(context -> null);
        database.withConnection(connection -> {
            H2Flush.flush(connection, true);
            return null;
        }, "syncing the new schema");
    }

    @Override
    public void makeDurable(Connection connection) throws SQLException {
        H2Flush.flush(connection, true);
    }

    /**
     * Tables cannot be locked against inserts in H2: refuses while a session outside this
     * store's pool is connected (another process through the auto-server).
     */
    @Override
    public void lockOutOtherWriters(DSLContext context, HikariDataSource ownedPool) {
        int sessions = context.fetchOne("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS").get(0, Integer.class);
        int ours = ownedPool == null ? sessions : ownedPool.getHikariPoolMXBean().getTotalConnections();
        if (sessions > ours) {
            throw new ConfigStoreException(ErrorCode.CONFLICT, "another process has this store open; close it"
                    + " before restoring an archive into the store");
        }
    }

    /** The file's size, when this process owns the file; -1 through another process's auto-server. */
    @Override
    public long sizeOnDisk(Connection connection) throws SQLException {
        if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
            var fileStore = local.getDatabase().getStore().getMvStore().getFileStore();
            return fileStore == null ? 0 : fileStore.size();
        }
        return -1;
    }

    /**
     * When this process owns the file and nobody else is connected, the database is shut down
     * with a full compaction (H2 copies the live pages into a new file) and the pool reconnects;
     * this process's other database calls wait meanwhile, reads at head keep being served from
     * memory. Otherwise H2 moves chunks online for at most {@code maxMillis}, which shrinks the
     * file less.
     */
    @Override
    public boolean reclaimSpace(DataSource dataSource, HikariDataSource ownedPool, Path directory,
                                ReadWriteLock maintenance, int maxMillis) {
        maintenance.writeLock().lock();
        try (Connection connection = dataSource.getConnection()) {
            if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
                return false; // reached through another process's auto-server: only it can compact
            }
            if (!local.getDatabase().isPersistent() || local.getDatabase().getStore().getMvStore().getFileStore() == null) {
                return false; // an in-memory database: there is no file, and a shutdown would drop it
            }
            connection.setAutoCommit(true);
            int ours = ownedPool == null ? -1 : ownedPool.getHikariPoolMXBean().getTotalConnections();
            int sessions;
            try (Statement statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                rows.next();
                sessions = rows.getInt(1);
            }
            if (sessions <= ours) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SHUTDOWN COMPACT");
                }
                ownedPool.getHikariPoolMXBean().softEvictConnections(); // all of them point at the closed database
                if (directory != null) {
                    H2Files.tightenAll(directory); // H2 wrote the compacted file anew, with its default mode
                }
                return true;
            }
            var mvStore = local.getDatabase().getStore().getMvStore();
            int retention = mvStore.getRetentionTime();
            try {
                mvStore.compactFile(maxMillis);
            } finally {
                mvStore.setRetentionTime(retention); // compactFile sets it to 0
            }
            var fileStore = mvStore.getFileStore();
            if (fileStore != null) {
                fileStore.sync();
            }
            return false;
        } catch (SQLException e) {
            throw SqlErrors.translate("returning freed space to the file system", e);
        } finally {
            maintenance.writeLock().unlock();
        }
    }

    /**
     * "The next key after k" is asked as {@code >= successor(k)}: H2 starts a {@code > k} scan at
     * the first row of k and steps over all of k's rows (5,000 of them for one key of the
     * benchmark took 10 ms), while {@code >=} a string just above k starts right after them.
     */
    @Override
    public String after() {
        return ">= ?";
    }

    @Override
    public String afterValue(String text) {
        return text + '\u0000'; // no key path or document name holds U+0000
    }

    /** H2's planner does not weigh the two range indexes of the entry table well: it is told. */
    @Override
    public String useIndex(String index) {
        return " USE INDEX (" + index + ")";
    }

    @Override
    public String checkQuery(String sql) {
        return ReadOnlyQuery.check(sql, false);
    }

    /**
     * H2 reads h2.bindAddress once, when its classes load; without it the auto-server listens on
     * every network interface. Set it if nobody did, and refuse if it is set to something else.
     */
    static void requireLoopbackAutoServer() {
        String configured = System.getProperty("h2.bindAddress");
        if (configured == null) {
            System.setProperty("h2.bindAddress", LOOPBACK);
        }
        String effective = org.h2.engine.SysProperties.BIND_ADDRESS;
        if (effective == null || !(effective.equals(LOOPBACK) || effective.equals("localhost") || effective.equals("::1"))) {
            throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "H2 was loaded before configstore without"
                    + " -Dh2.bindAddress=127.0.0.1, so its auto-server would accept connections from the network;"
                    + " start the JVM with -Dh2.bindAddress=127.0.0.1");
        }
    }
}
