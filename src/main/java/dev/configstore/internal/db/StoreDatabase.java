package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.ConfigStoreException;
import dev.configstore.Durability;
import dev.configstore.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;

/**
 * An open database: the connection pool, the jOOQ context factory, transactions with retries,
 * durable commits, and the read-only access used for user SQL.
 */
public final class StoreDatabase implements AutoCloseable {

    /** Which engine holds the store. */
    public enum Engine { H2, POSTGRESQL }

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Engine engine;
    private final String description;
    private final Path directory;
    private final String schema;
    private final Transactions transactions;
    /** Held shared by every database call and exclusively while H2 compacts its file offline. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock maintenance;
    /** How every jOOQ context of the store renders SQL. */
    static final Settings JOOQ_SETTINGS = new Settings()
            .withRenderQuotedNames(RenderQuotedNames.NEVER)
            .withRenderSchema(false)
            .withExecuteLogging(false);
    private final SqlReader reader;

    StoreDatabase(DataSource dataSource, HikariDataSource ownedPool, Engine engine, String description,
                          Path directory, String schema, Durability durability,
                          java.util.function.Function<DataSource, SqlReader> reader) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.engine = engine;
        this.description = description;
        this.directory = directory;
        this.schema = schema;
        boolean sync = durability == Durability.SYNC;
        GroupSync groupSync = engine == Engine.H2 ? new GroupSync(connection -> H2Flush.flush(connection, sync)) : null;
        this.transactions = new Transactions(dataSource, dialect(), description, groupSync);
        this.maintenance = transactions.maintenance();
        this.reader = reader.apply(dataSource);
    }

    /**
     * The head revision, after a sync that makes it durable: what the marker may record. Stores
     * on other engines return the head without a sync.
     */
    long durableHead() {
        try (Connection connection = dataSource.getConnection()) {
            long head;
            try (Statement statement = connection.createStatement();
                 var row = statement.executeQuery("SELECT MAX(revision) FROM cs_revision")) {
                row.next();
                head = row.getLong(1);
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            if (engine == Engine.H2) {
                H2Flush.flush(connection, true);
            }
            return head;
        } catch (SQLException e) {
            throw SqlErrors.translate("reading the head revision of store " + description, e);
        }
    }

    /**
     * Prepares the store, again when the connection broke under it: the process that hosted
     * the file may have closed or died while this one was joining it.
     */
    void prepareRetrying(StoreSettings settings) {
        for (int attempt = 1; ; attempt++) {
            try {
                prepare(settings);
                return;
            } catch (ConfigStoreException e) {
                SQLException sql = SqlErrors.sqlCause(e);
                if (attempt >= 5 || sql == null || !SqlErrors.isConnectionLoss(sql)) {
                    throw e;
                }
                Transactions.backOff(attempt + 4);
            }
        }
    }

    /** Creates the schema if needed, then makes it durable before anybody writes. */
    private void prepare(StoreSettings settings) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(10)) {
                throw new SQLException("the connection is not valid");
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("opening the store " + description, e);
        }
        if (schema != null && engine == Engine.POSTGRESQL) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            } catch (SQLException e) {
                throw SqlErrors.translate("creating schema " + schema, e);
            }
        }
        boolean migrated = SchemaMigrator.migrate(dataSource, schema, description);
        if (engine == Engine.H2) {
            try {
                reader.ensureH2();
            } catch (SQLException e) {
                throw SqlErrors.translate("creating the read-only SQL user of store " + description, e);
            }
        }
        if (migrated && engine == Engine.H2) {
            // a power loss right after creation must not lose the schema itself
            write(context -> null);
            try (Connection connection = dataSource.getConnection()) {
                H2Flush.flush(connection, true);
            } catch (SQLException e) {
                throw SqlErrors.translate("syncing the new schema", e);
            }
        }
    }

    /**
     * Keeps other writers out of a transaction that fills an empty store (an archive restore):
     * on PostgreSQL it locks the revision table against inserts until the transaction ends; on
     * H2, where tables cannot be locked, it refuses while a session outside this store's pool is
     * connected (another process through the auto-server).
     */
    public void lockOutOtherWriters(DSLContext context) {
        if (engine == Engine.POSTGRESQL) {
            context.execute("LOCK TABLE cs_revision IN EXCLUSIVE MODE");
            return;
        }
        int sessions = context.fetchOne("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS").get(0, Integer.class);
        int ours = ownedPool == null ? sessions : ownedPool.getHikariPoolMXBean().getTotalConnections();
        if (sessions > ours) {
            throw new ConfigStoreException(ErrorCode.CONFLICT, "another process has this store open; close it"
                    + " before restoring an archive into the store");
        }
    }

    /** The schema version the database has now, from Flyway's history table. */
    public int schemaVersion() {
        return SchemaMigrator.appliedVersion(dataSource, schema);
    }

    /** The newest schema version this code knows. */
    public static int latestSchemaVersion() {
        return SchemaMigrator.LATEST_VERSION;
    }

    /**
     * The store's size on disk in bytes: the H2 file, or the PostgreSQL tables and indexes of the
     * store's schema; -1 when it cannot be told (an H2 store reached through another process).
     */
    public long sizeOnDisk() {
        try (Connection connection = dataSource.getConnection()) {
            if (engine == Engine.H2) {
                if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
                    var fileStore = local.getDatabase().getStore().getMvStore().getFileStore();
                    return fileStore == null ? 0 : fileStore.size();
                }
                return -1;
            }
            try (Statement statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)"
                         + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                         + " WHERE n.nspname = current_schema() AND c.relkind = 'r'")) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("measuring the store's size", e);
        }
    }

    /**
     * Returns space freed by deleted rows to the file system. On H2, when this process owns the
     * file and nobody else is connected, the database is shut down with a full compaction (H2
     * copies the live pages into a new file) and the pool reconnects; this process's other
     * database calls wait meanwhile, reads at head keep being served from memory. Otherwise H2
     * moves chunks online for at most {@code maxMillis}, which shrinks the file less. On
     * PostgreSQL it runs VACUUM, which makes the space reusable.
     *
     * @return whether the space was fully reclaimed (H2's full compaction ran)
     */
    public boolean reclaimSpace(int maxMillis) {
        if (engine == Engine.H2) {
            return reclaimH2(maxMillis);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true); // VACUUM cannot run inside a transaction
            try (Statement statement = connection.createStatement()) {
                for (String table : new String[] {"cs_entry", "cs_document_version", "cs_revision", "cs_operation"}) {
                    statement.execute("VACUUM " + table);
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return false;
        } catch (SQLException e) {
            throw SqlErrors.translate("returning freed space to the file system", e);
        }
    }

    private boolean reclaimH2(int maxMillis) {
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
     * Runs user SQL on a connection of the read-only user, in a read-only transaction that is
     * rolled back after; the work sets the statement timeout.
     */
    public <T> T readOnly(java.time.Duration timeout, SqlWork<T> work) {
        maintenance.readLock().lock();
        try (Connection connection = reader.connect(timeout, null)) {
            try {
                return work.apply(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw userSqlError(e);
        } finally {
            maintenance.readLock().unlock();
        }
    }

    /**
     * Logs the read-only user in once, repairing it if it cannot log in.
     *
     * @return {@code null} if it logged in at once, else what was repaired
     */
    public String checkReader() {
        boolean[] repaired = {false};
        try (Connection connection = reader.connect(java.time.Duration.ofSeconds(5), repaired);
             Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1").close();
            connection.rollback();
        } catch (SQLException e) {
            throw SqlErrors.translate("logging in the read-only SQL user", e);
        }
        return repaired[0] ? "the read-only SQL user " + reader.user() + " could not log in; its password and rights"
                + " were set again" : null;
    }

    /** Checks a user's query text before it runs; see {@link ReadOnlyQuery}. */
    public String checkQuery(String sql) {
        return ReadOnlyQuery.check(sql, engine);
    }

    private static ConfigStoreException userSqlError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("57014") || e.getErrorCode() == org.h2.api.ErrorCode.STATEMENT_WAS_CANCELED) {
            return new ConfigStoreException(ErrorCode.INVALID_INPUT, "the query ran past its timeout and was"
                    + " cancelled; nothing was changed (give a longer timeout, or narrow the query)", e);
        }
        if (state.startsWith("08") || state.startsWith("28")) {
            return new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "the read-only SQL user cannot connect: "
                    + SqlErrors.firstLine(e.getMessage()), e);
        }
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, "the query failed and changed nothing: "
                + SqlErrors.firstLine(e.getMessage()), e);
    }

    /** Work on a raw JDBC connection. */
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    public SQLDialect dialect() {
        return engine == Engine.H2 ? SQLDialect.H2 : SQLDialect.POSTGRES;
    }

    public Engine engine() {
        return engine;
    }

    public String description() {
        return description;
    }

    /** The store directory of an H2 file store, or {@code null}. */
    public Path directory() {
        return directory;
    }

    /** Opens (creating if needed) and migrates the database described by the settings. */
    public static StoreDatabase open(StoreSettings settings) {
        return StoreOpening.open(settings);
    }

    /** Runs a write transaction: retried on transient errors, durable when it returns. */
    public <T> T write(Function<DSLContext, T> work) {
        return transactions.write(work, null);
    }

    /**
     * Runs a write transaction like {@link #write(Function)}, and hands its result to
     * {@code committed} right after the commit, before waiting for the disk and before the next
     * writer of this store starts: in-memory state follows the commits in their order.
     */
    public <T> T write(Function<DSLContext, T> work, java.util.function.Consumer<T> committed) {
        return transactions.write(work, committed);
    }

    /** Runs a read-only unit of work in a transaction, retried on transient errors. */
    public <T> T read(Function<DSLContext, T> work) {
        return transactions.read(work);
    }

    /** Makes everything committed so far durable, as a write of this store would. */
    public void syncNow() {
        transactions.syncNow();
    }

    /** Syncs performed and commits that asked for one, for measuring group commit. */
    public long[] syncCounters() {
        return transactions.syncCounters();
    }

    /**
     * Closes the pool. A directory store first records its head, made durable, in the marker,
     * so a later open can tell if the file went back in time. Never throws: a store that cannot
     * record it (its disk failed) closes anyway and keeps the older mark.
     */
    @Override
    public void close() {
        long head = -1;
        if (directory != null && ownedPool != null && !ownedPool.isClosed()) {
            try {
                head = durableHead();
            } catch (RuntimeException e) {
                head = -1;
            }
        }
        if (ownedPool != null) {
            ownedPool.close();
        }
        if (head >= 0) {
            try {
                H2Files.recordClosedAt(directory, head);
                H2Files.tightenAll(directory);
            } catch (RuntimeException e) {
                // the store is closed either way; an older mark only makes the next check weaker
            }
        }
    }

}
