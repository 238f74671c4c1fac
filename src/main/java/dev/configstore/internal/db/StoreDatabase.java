package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.ConfigStoreException;
import dev.configstore.Durability;
import dev.configstore.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * An open database: the connection pool, the jOOQ context factory, transactions with retries,
 * durable commits, and the read-only access used for user SQL.
 */
public final class StoreDatabase implements AutoCloseable {

    /** Which engine holds the store. */
    public enum Engine { H2, POSTGRESQL }

    private static final int MAX_ATTEMPTS = 12;
    private static final String LOOPBACK = "127.0.0.1";

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Engine engine;
    private final String description;
    private final Path directory;
    private final String schema;
    private final GroupSync groupSync;
    private final java.util.concurrent.locks.ReentrantLock writerLock = new java.util.concurrent.locks.ReentrantLock();
    /** Held shared by every database call and exclusively while H2 compacts its file offline. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock maintenance =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** How every jOOQ context of the store renders SQL. */
    static final Settings JOOQ_SETTINGS = new Settings()
            .withRenderQuotedNames(RenderQuotedNames.NEVER)
            .withRenderSchema(false)
            .withExecuteLogging(false);
    private final SqlReader reader;

    private StoreDatabase(DataSource dataSource, HikariDataSource ownedPool, Engine engine, String description,
                          Path directory, String schema, Durability durability,
                          java.util.function.Function<DataSource, SqlReader> reader) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.engine = engine;
        this.description = description;
        this.directory = directory;
        this.schema = schema;
        boolean sync = durability == Durability.SYNC;
        this.groupSync = engine == Engine.H2 ? new GroupSync(connection -> H2Flush.flush(connection, sync)) : null;
        this.reader = reader.apply(dataSource);
    }

    /** Opens (creating if needed) and migrates the database described by the settings. */
    public static StoreDatabase open(StoreSettings settings) {
        if (settings.url() != null) {
            return openUrl(settings);
        }
        if (settings.dataSource() != null) {
            return openDataSource(settings);
        }
        return openDirectory(settings);
    }

    /**
     * An H2 store directory. A store that was created before is checked read-only first and
     * opened with IFEXISTS, so no connection, now or when the pool reconnects later, ever
     * creates an empty database in place of a file that went missing.
     */
    private static StoreDatabase openDirectory(StoreSettings settings) {
        Path directory = H2Files.prepareDirectory(settings.directory());
        requireLoopbackAutoServer();
        H2Files.Plan plan = H2Files.plan(directory);
        H2Files.Marker marker = H2Files.readMarker(directory);
        if (plan == H2Files.Plan.CREATE) {
            H2Files.writeMarker(directory, new H2Files.Marker(false, 0));
        }
        H2Files.Credentials credentials = H2Files.credentials(directory, plan != H2Files.Plan.OPEN);
        String shared = "jdbc:h2:file:" + directory.resolve(H2Files.DATABASE_NAME) + ";AUTO_SERVER=TRUE";
        // no trace file: errors reach the caller in full; a non-admin user may not set this (the reader)
        String file = shared + ";TRACE_LEVEL_FILE=0";
        if (plan == H2Files.Plan.OPEN) {
            boolean atRest = marker != null && !java.nio.file.Files.exists(directory.resolve(H2Files.LOCK_FILE))
                    && marker.unchangedSinceClose(directory.resolve(H2Files.DATABASE_FILE));
            if (!atRest) {
                // a file this store did not leave exactly so (or one in use) is read read-only first;
                // one that has the size and time the store closed it with was not touched since
                H2OpenCheck.check(directory, credentials, marker);
            }
        } else {
            createH2File(file, credentials, directory);
        }
        String url = file + ";IFEXISTS=TRUE;LOCK_TIMEOUT=" + settings.lockTimeout().toMillis();
        HikariDataSource pool = pool(url, credentials.user(), credentials.password(), settings, null);
        try {
            StoreDatabase database = new StoreDatabase(pool, pool, Engine.H2, "at " + directory, directory, null,
                    settings.durability(), admin -> new SqlReader(Engine.H2, admin, shared + ";IFEXISTS=TRUE", null,
                            credentials.readerUser(), credentials.readerPassword(), true));
            database.prepareRetrying(settings);
            if (marker == null || !marker.created()) {
                // created now, or made before stores had markers: from here on its head is watched
                H2Files.writeMarker(directory, new H2Files.Marker(true, database.durableHead()));
            }
            H2Files.tightenAll(directory);
            return database;
        } catch (RuntimeException e) {
            pool.close();
            H2Files.tightenAll(directory);
            throw e;
        }
    }

    /** Creates the database file of a new store with one connection (the pool never creates one). */
    private static void createH2File(String url, H2Files.Credentials credentials, Path directory) {
        try (Connection connection = DriverManager.getConnection(url, credentials.user(), credentials.password())) {
            connection.isValid(1);
        } catch (SQLException e) {
            H2Files.tightenAll(directory);
            throw SqlErrors.translate("creating the store " + directory, e);
        }
    }

    /**
     * The head revision, after a sync that makes it durable: what the marker may record. Stores
     * on other engines return the head without a sync.
     */
    private long durableHead() {
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

    private static StoreDatabase openUrl(StoreSettings settings) {
        String url = settings.url();
        Engine engine = url.startsWith("jdbc:h2:") ? Engine.H2 : Engine.POSTGRESQL;
        if (engine == Engine.H2) {
            requireLoopbackAutoServer();
            H2CrashRecovery.recoverUrlFile(url);
            String upper = url.toUpperCase(java.util.Locale.ROOT);
            if (!upper.contains("LOCK_TIMEOUT=")) {
                url = url + ";LOCK_TIMEOUT=" + settings.lockTimeout().toMillis();
            }
        }
        HikariDataSource pool = pool(url, settings.user(), settings.password(), settings,
                engine == Engine.POSTGRESQL ? settings.schema() : null);
        try {
            StoreDatabase database = new StoreDatabase(pool, pool, engine, "at " + redact(settings.url()), null,
                    settings.schema(), settings.durability(), admin -> reader(engine, admin, settings.url(), settings));
            database.prepareRetrying(settings);
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static StoreDatabase openDataSource(StoreSettings settings) {
        DataSource source = settings.dataSource();
        Engine engine;
        String url;
        try (Connection connection = source.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            url = connection.getMetaData().getURL();
            if ("H2".equalsIgnoreCase(product)) {
                engine = Engine.H2;
            } else if ("PostgreSQL".equalsIgnoreCase(product)) {
                engine = Engine.POSTGRESQL;
            } else {
                throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "the data source is " + product
                        + "; configstore supports H2 and PostgreSQL");
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("connecting to the data source", e);
        }
        DataSource withSchema = settings.schema() == null ? source : new SchemaDataSource(source, settings.schema());
        StoreDatabase database = new StoreDatabase(withSchema, null, engine, "from the application's data source",
                null, settings.schema(), settings.durability(), admin -> reader(engine, admin, url, settings));
        database.prepareRetrying(settings);
        return database;
    }

    /**
     * The reader of a store opened by URL or data source: on H2 a user the store makes, with a
     * password kept in memory; on PostgreSQL the role the operator named, or one the store makes.
     */
    private static SqlReader reader(Engine engine, DataSource admin, String url, StoreSettings settings) {
        if (engine == Engine.H2) {
            return new SqlReader(Engine.H2, admin, url, null, "CONFIGSTORE_READER", SqlReader.secret(), false);
        }
        return new SqlReader(Engine.POSTGRESQL, admin, url == null ? null : withoutCredentials(url), settings.schema(),
                settings.readerUser(), settings.readerPassword(), false);
    }

    /** A PostgreSQL URL without user and password parameters, which would override the reader's. */
    static String withoutCredentials(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder();
        for (String parameter : url.substring(query + 1).split("&")) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password") || parameter.isEmpty()) {
                continue;
            }
            kept.append(kept.length() == 0 ? "" : "&").append(parameter);
        }
        return url.substring(0, query) + (kept.length() == 0 ? "" : "?" + kept);
    }

    private static HikariDataSource pool(String url, String user, String password, StoreSettings settings,
                                         String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
            config.setPassword(password);
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setPoolName("configstore");
        config.setConnectionTimeout(Math.max(30_000, settings.lockTimeout().toMillis() * 2));
        // one connection at once, so a wrong password or an unreachable server fails the open with its
        // cause instead of a pool timeout 30 seconds later
        config.setInitializationFailTimeout(1);
        config.setExceptionOverride(new ConnectionLossEviction());
        if (schema != null) {
            // a connection property, not setSchema(): PostgreSQL undoes a SET made inside a
            // transaction that later rolls back
            config.addDataSourceProperty("currentSchema", schema);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            long lockMillis = settings.lockTimeout().toMillis();
            String init = "SET lock_timeout = " + lockMillis;
            if (settings.durability() == Durability.PROCESS) {
                // the server survives a crash of this process; it may lose the last commits on a power loss
                init += "; SET synchronous_commit = off";
            }
            config.setConnectionInitSql(init);
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw SqlErrors.translate("opening the store at " + redact(url), e);
        }
    }

    /**
     * Prepares the store, again when the connection broke under it: the process that hosted
     * the file may have closed or died while this one was joining it.
     */
    private void prepareRetrying(StoreSettings settings) {
        for (int attempt = 1; ; attempt++) {
            try {
                prepare(settings);
                return;
            } catch (ConfigStoreException e) {
                SQLException sql = SqlErrors.sqlCause(e);
                if (attempt >= 5 || sql == null || !SqlErrors.isConnectionLoss(sql)) {
                    throw e;
                }
                backOff(attempt + 4);
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
     * H2 reads h2.bindAddress once, when its classes load; without it the auto-server listens on
     * every network interface. Set it if nobody did, and refuse if it is set to something else.
     */
    private static void requireLoopbackAutoServer() {
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

    /** Runs a write transaction: retried on transient errors, durable when it returns. */
    public <T> T write(Function<DSLContext, T> work) {
        return run(work, true, null);
    }

    /**
     * Runs a write transaction like {@link #write(Function)}, and hands its result to
     * {@code committed} right after the commit, before waiting for the disk and before the next
     * writer of this store starts: in-memory state follows the commits in their order.
     */
    public <T> T write(Function<DSLContext, T> work, java.util.function.Consumer<T> committed) {
        return run(work, true, committed);
    }

    /** Runs a read-only unit of work in a transaction, retried on transient errors. */
    public <T> T read(Function<DSLContext, T> work) {
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
                try {
                    result = work.apply(DSL.using(connection, dialect(), JOOQ_SETTINGS));
                    connection.commit();
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(connection, e);
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
                return result;
            } catch (SQLException | RuntimeException e) {
                if (locked) {
                    writerLock.unlock();
                }
                boolean diskFault = SqlErrors.diskProblem(e) != null || SqlErrors.ioProblem(e) != null;
                if (attempt < MAX_ATTEMPTS && SqlErrors.isTransient(e) && !diskFault) {
                    backOff(attempt);
                    continue;
                }
                if (e instanceof RuntimeException runtime && SqlErrors.sqlCause(e) == null && !diskFault
                        && !(e instanceof org.h2.mvstore.MVStoreException)) {
                    throw runtime; // the store's own errors and control flow pass unchanged
                }
                throw SqlErrors.translate(durable ? "writing to the store " + description
                        : "reading the store " + description, e);
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void backOff(int attempt) {
        long cap = Math.min(500, 2L << attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "interrupted while retrying a transaction", e);
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

    /** Makes everything committed so far durable, as a write of this store would. */
    public void syncNow() {
        if (groupSync == null) {
            return;
        }
        maintenance.readLock().lock();
        try (Connection connection = dataSource.getConnection()) {
            groupSync.awaitDurable(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate("syncing the store " + description, e);
        } finally {
            maintenance.readLock().unlock();
        }
    }

    /** Syncs performed and commits that asked for one, for measuring group commit. */
    public long[] syncCounters() {
        return groupSync == null ? new long[] {0, 0} : new long[] {groupSync.syncs(), groupSync.tickets()};
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

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
