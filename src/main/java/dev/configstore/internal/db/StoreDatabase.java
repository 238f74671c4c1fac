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
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;

/**
 * An open database: the connection pool, the jOOQ context factory, transactions with retries,
 * durable commits, and the read-only access used for user SQL.
 */
public final class StoreDatabase implements AutoCloseable {

    /** Set when the store was opened read-only: every write throws. */
    private volatile boolean readOnly;
    /** Set when H2 reads the file as it found it (read-only, no lock file): closing it leaves the file's mark alone. */
    private volatile boolean fileUntouched;

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
    private volatile ReplicaReads replica;

    StoreDatabase(DataSource dataSource, HikariDataSource ownedPool, Engine engine, String description,
                          Path directory, String schema, StoreSettings settings,
                          java.util.function.Function<DataSource, SqlReader> reader) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.engine = engine;
        this.description = description;
        this.directory = directory;
        this.schema = schema;
        this.transactions = new Transactions(dataSource, engine.dialect(), description,
                engine.groupSync(settings.durability()), engine.committer(settings, ownedPool == null),
                engine.failoverWindow(settings));
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
            engine.makeDurable(connection);
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
        try {
            engine.createSchema(dataSource, schema);
        } catch (SQLException e) {
            throw SqlErrors.translate("creating schema " + schema, e);
        }
        boolean migrated = SchemaMigrator.migrate(dataSource, schema, description);
        try {
            if (!fileUntouched) { // a file opened read-only as it is cannot take the reader; it needs none
                reader.ensure();
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("creating the read-only SQL user of store " + description, e);
        }
        if (migrated) {
            engine.afterMigrate(this);
        }
    }

    /** Keeps other writers out of a transaction that fills an empty store (an archive restore). */
    public void lockOutOtherWriters(DSLContext context) {
        engine.lockOutOtherWriters(context, ownedPool);
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
            return engine.sizeOnDisk(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate("measuring the store's size", e);
        }
    }

    /**
     * Returns space freed by deleted rows to the file system: on H2 a compaction of the file,
     * offline when nobody else is connected; on PostgreSQL VACUUM, which makes the space reusable.
     *
     * @return whether the space was fully reclaimed (H2's full compaction ran)
     */
    public boolean reclaimSpace(int maxMillis) {
        return engine.reclaimSpace(dataSource, ownedPool, directory, maintenance, maxMillis);
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
            throw SqlErrors.userSql(e);
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
        return engine.checkQuery(sql);
    }

    /** Runs {@code work} on a connection of the store's pool, outside any transaction of the store. */
    <T> T withConnection(SqlWork<T> work, String what) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(what, e);
        }
    }

    /** Work on a raw JDBC connection. */
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    public SQLDialect dialect() {
        return engine.dialect();
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
        return write(work, null);
    }

    /** From now on every write throws: the store was opened read-only. */
    public void refuseWrites() {
        readOnly = true;
    }

    /** The store reads its H2 file read-only as it was at rest: nothing of it changes, its mark stays. */
    void leavesFileUntouched() {
        refuseWrites();
        fileUntouched = true;
    }

    /** Throws if the store was opened read-only. */
    public void refuseIfReadOnly() {
        if (readOnly) {
            throw new IllegalStateException("the store was opened read-only (ConfigStoreBuilder.readOnly()): open it"
                    + " without that to write, or to run an operation the operation log records");
        }
    }

    /** Whether the store was opened read-only. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Runs a write transaction like {@link #write(Function)}, and hands its result to
     * {@code committed} right after the commit, before waiting for the disk and before the next
     * writer of this store starts: in-memory state follows the commits in their order.
     */
    public <T> T write(Function<DSLContext, T> work, java.util.function.Consumer<T> committed) {
        refuseIfReadOnly();
        try {
            return transactions.write(work, committed);
        } catch (UnconfirmedCommit e) {
            throw new dev.configstore.UnconfirmedWriteException(-1, "writing to the store " + description + ": "
                    + e.getMessage(), null);
        }
    }

    /** Runs a read-only unit of work in a transaction, retried on transient errors. */
    public <T> T read(Function<DSLContext, T> work) {
        return transactions.read(work);
    }

    /**
     * Runs a read that must see revision {@code revision} or later: on a standby through the read
     * URL when there is one and it has replayed that far in time, else like {@link #read}.
     */
    public <T> T readAtLeast(long revision, Function<DSLContext, T> work) {
        ReplicaReads standby = replica;
        return standby == null ? read(work) : standby.read(revision, work, this::read);
    }

    /** Reads through the read URL from now on; closed with this database. */
    void readThrough(ReplicaReads standby) {
        this.replica = standby;
    }

    /** Reads answered by a standby and by the primary since the open ({0, 0} without a read URL). */
    public long[] replicaCounters() {
        ReplicaReads standby = replica;
        return standby == null ? new long[] {0, 0} : standby.counters();
    }

    /**
     * The writers' turn of this process: held by a write transaction from its first statement
     * until the result was handed to {@code committed}, and by whoever else must order itself
     * with the commits (the write kernel's cache).
     */
    public java.util.concurrent.locks.ReentrantLock writerTurn() {
        return transactions.writerTurn();
    }

    /**
     * Makes what was committed as durable as a write of this store would be: synced (H2), or on a
     * synchronous standby where the store asked for that, else UnconfirmedWriteException (PostgreSQL).
     */
    public void syncNow(long revision) {
        String missing = transactions.syncNow();
        if (missing != null) {
            throw new dev.configstore.UnconfirmedWriteException(revision, "revision " + revision + " of the store "
                    + description + ": " + missing, null);
        }
    }

    /**
     * Starts waking {@code wake} with the revision each commit to this store announces, when the
     * engine announces commits (PostgreSQL's NOTIFY); null on H2, which has nothing like it.
     */
    public AutoCloseable listenForCommits(java.util.function.LongConsumer wake) {
        if (engine != PostgresEngine.INSTANCE) {
            return null;
        }
        String channel = read(context -> context.fetchValue("SELECT " + PostgresWakeups.CHANNEL).toString());
        return PostgresWakeups.start(() -> PostgresWakeups.dedicated(dataSource, ownedPool), channel, wake);
    }

    /**
     * Tells the store's listeners in other processes, when the transaction commits, that
     * {@code revision} was written: a NOTIFY on PostgreSQL, nothing on H2.
     */
    public void announce(org.jooq.DSLContext context, long revision) {
        if (engine != PostgresEngine.INSTANCE) {
            return;
        }
        context.connection(connection -> {
            try (java.sql.PreparedStatement notify = connection.prepareStatement(PostgresWakeups.NOTIFY)) {
                notify.setString(1, Long.toString(revision));
                notify.execute();
            }
        });
    }

    /** Connections of the store's own pool in use now (0 on an application's data source), for the tests' leak check. */
    public int connectionsInUse() {
        return ownedPool == null || ownedPool.isClosed() ? 0 : ownedPool.getHikariPoolMXBean().getActiveConnections();
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
        if (directory != null && ownedPool != null && !ownedPool.isClosed() && !fileUntouched) {
            try {
                head = durableHead();
            } catch (RuntimeException e) {
                head = -1;
            }
        }
        if (ownedPool != null) {
            ownedPool.close();
        }
        if (replica != null) {
            replica.close();
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
