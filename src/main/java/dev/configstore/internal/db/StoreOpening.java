package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.ConfigStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Opens a store's database from what the builder was given: an H2 store directory (files,
 * credentials, the open check, creation), a JDBC URL (H2 or PostgreSQL), or an application's
 * data source; then the pool, the read-only user and the migrations.
 */
final class StoreOpening {

    private StoreOpening() {
    }

    /** Opens (creating if needed) and migrates the database described by the settings. */
    static StoreDatabase open(StoreSettings settings) {
        StoreLocation location = settings.location();
        if (location instanceof StoreLocation.Url url) {
            return openUrl(settings, url);
        }
        if (location instanceof StoreLocation.ApplicationDataSource application) {
            return openDataSource(settings, application.dataSource());
        }
        return openDirectory(settings, ((StoreLocation.Directory) location).path());
    }

    /**
     * An H2 store directory. A store that was created before is checked read-only first and
     * opened with IFEXISTS, so no connection, now or when the pool reconnects later, ever
     * creates an empty database in place of a file that went missing.
     */
    private static StoreDatabase openDirectory(StoreSettings settings, Path path) {
        Path directory = H2Files.prepareDirectory(path);
        H2Engine.requireLoopbackAutoServer();
        H2Files.Plan plan = H2Files.plan(directory);
        H2Files.Marker marker = H2Files.readMarker(directory);
        if (plan == H2Files.Plan.CREATE) {
            H2Files.writeMarker(directory, new H2Files.Marker(false, 0));
        }
        H2Files.Credentials credentials = H2Files.credentials(directory, plan != H2Files.Plan.OPEN);
        String plain = "jdbc:h2:file:" + directory.resolve(H2Files.DATABASE_NAME) + ";AUTO_SERVER=TRUE";
        // every process that may open the file itself (the first, or one taking it over from a
        // host that died) runs the full-scan recovery first; not the reader, whom H2 refuses the
        // setting once the file is open (it opens the file only after the admin pool, see H2Reader)
        String shared = plain + H2OpenRecovery.URL_SETTING;
        // no trace file: errors reach the caller in full; a non-admin user may not set this (the reader)
        String file = shared + ";TRACE_LEVEL_FILE=0";
        if (plan == H2Files.Plan.OPEN) {
            boolean atRest = marker != null && !java.nio.file.Files.exists(directory.resolve(H2Files.LOCK_FILE))
                    && marker.unchangedSinceClose(directory.resolve(H2Files.DATABASE_FILE));
            if (atRest && marker.created() && settings.readOnly()) {
                StoreDatabase snapshot = openAtRest(settings, directory, credentials);
                if (snapshot != null) {
                    return snapshot;
                }
            }
            if (!atRest) {
                // a file this store did not leave exactly so (or one in use) is read read-only first;
                // one that has the size and time the store closed it with was not touched since
                H2OpenCheck.check(directory, credentials, marker);
            }
        } else {
            createH2File(file, credentials, directory);
        }
        String url = file + ";IFEXISTS=TRUE;LOCK_TIMEOUT=" + settings.lockTimeout().toMillis();
        HikariDataSource pool = poolAfterReaders(url, credentials, settings, directory);
        try {
            StoreDatabase database = new StoreDatabase(pool, pool, H2Engine.INSTANCE, "at " + directory, directory,
                    null, settings, admin -> new H2Reader(admin, plain + ";IFEXISTS=TRUE",
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

    /**
     * The pool of a store directory. A read-only open of a store at rest ({@link #openAtRest})
     * holds a shared lock on the file, without a lock file or an auto-server, while a command
     * reads: an open that meets such a lock (no lock file) waits for it, up to the lock timeout,
     * instead of failing because the database is in use.
     */
    private static HikariDataSource poolAfterReaders(String url, H2Files.Credentials credentials,
                                                     StoreSettings settings, Path directory) {
        long deadline = System.nanoTime() + settings.lockTimeout().toNanos();
        while (true) {
            try {
                return pool(H2Engine.INSTANCE, url, credentials.user(), credentials.password(), settings, false);
            } catch (dev.configstore.ConfigStoreException e) {
                SQLException cause = SqlErrors.sqlCause(e);
                boolean reader = cause != null && cause.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1
                        && !java.nio.file.Files.exists(directory.resolve(H2Files.LOCK_FILE));
                if (!reader || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * A read-only open of a store at rest (closed by the store, untouched since, held by nobody):
     * H2 reads the file as it is, under a shared lock but without a lock file or an auto-server
     * (one costs a short command about 40 ms); a process that opens the store meanwhile waits for
     * the reader to finish ({@link #poolAfterReaders}). H2 keeps a page that a newer commit replaced
     * for 45 s before it reuses its space, so the reads of the open (the head, loaded whole) see
     * the file as the open found it. Null when the schema is not current (a migration writes).
     */
    private static StoreDatabase openAtRest(StoreSettings settings, Path directory, H2Files.Credentials credentials) {
        String url = "jdbc:h2:file:" + directory.resolve(H2Files.DATABASE_NAME)
                + ";ACCESS_MODE_DATA=r;FILE_LOCK=NO;IFEXISTS=TRUE;TRACE_LEVEL_FILE=0";
        HikariDataSource pool;
        try {
            pool = pool(H2Engine.INSTANCE, url, credentials.user(), credentials.password(), settings, false);
        } catch (dev.configstore.ConfigStoreException e) {
            return null; // a process took the file since the check: the usual open joins it
        }
        // the schema version through the pool's connection: a connection of its own, closed
        // before the pool's, would make H2 close and open the file a second time
        int version;
        try {
            version = SchemaMigrator.appliedVersion(pool, null);
        } catch (dev.configstore.ConfigStoreException e) {
            version = -1; // whatever it is, the usual open meets it and says what it is
        }
        if (version != SchemaMigrator.LATEST_VERSION) {
            pool.close();
            return null;
        }
        try {
            StoreDatabase database = new StoreDatabase(pool, pool, H2Engine.INSTANCE, "at " + directory, directory,
                    null, settings, admin -> new H2Reader(admin, url, credentials.readerUser(),
                            credentials.readerPassword(), true));
            database.leavesFileUntouched();
            database.prepareRetrying(settings);
            return database;
        } catch (RuntimeException e) {
            pool.close();
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

    private static StoreDatabase openUrl(StoreSettings settings, StoreLocation.Url location) {
        Engine engine = Engine.ofUrl(location.url());
        String url = engine.prepareUrl(location.url(), settings);
        HikariDataSource pool = poolThroughFailover(engine, url, location.user(), location.password(), settings);
        try {
            StoreDatabase database = new StoreDatabase(pool, pool, engine, "at " + redact(location.url()), null,
                    settings.schema(), settings, admin -> engine.reader(admin, location.url(), settings));
            database.prepareRetrying(settings);
            readThroughStandby(database, engine, settings, location.user(), location.password());
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Gives the database its pool on the read URL, if one was configured. A standby that is down fails no open. */
    private static void readThroughStandby(StoreDatabase database, Engine engine, StoreSettings settings, String user,
                                           String password) {
        String readUrl = settings.replication().readUrl();
        if (readUrl == null) {
            return;
        }
        if (engine != PostgresEngine.INSTANCE) {
            throw new IllegalStateException("a read URL needs a PostgreSQL store; this data source is H2");
        }
        HikariDataSource reads = pool(engine, PostgresUrls.forReads(readUrl), user, password, settings, true);
        database.readThrough(new ReplicaReads(reads, engine.dialect(), settings.replication().replicaWait()));
    }

    private static StoreDatabase openDataSource(StoreSettings settings, DataSource application) {
        DataSource source = application;
        Engine engine;
        String url;
        try (Connection connection = source.getConnection()) {
            engine = Engine.ofProduct(connection.getMetaData().getDatabaseProductName());
            url = connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw SqlErrors.translate("connecting to the data source", e);
        }
        DataSource withSchema = settings.schema() == null ? source : new SchemaDataSource(source, settings.schema());
        StoreDatabase database = new StoreDatabase(withSchema, null, engine, "from the application's data source",
                null, settings.schema(), settings, admin -> engine.reader(admin, url, settings));
        database.prepareRetrying(settings);
        readThroughStandby(database, engine, settings, null, null);
        return database;
    }

    /**
     * The pool, when the URL lists several hosts: tried again for up to the failover timeout while
     * no host takes the connection (the primary died and no standby was promoted yet). A URL with
     * one host fails at once: a wrong host or port should not keep an operator waiting.
     */
    private static HikariDataSource poolThroughFailover(Engine engine, String url, String user, String password,
                                                        StoreSettings settings) {
        long deadline = System.nanoTime() + engine.failoverWindow(settings).toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return pool(engine, url, user, password, settings, false);
            } catch (ConfigStoreException e) {
                if (!PostgresUrls.multiHost(url) || !SqlErrors.isFailover(e) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Transactions.backOff(Math.min(attempt + 3, 7));
            }
        }
    }

    /** {@code standby}: a read-only pool on the read URL, which waits briefly and never fails the open. */
    private static HikariDataSource pool(Engine engine, String url, String user, String password,
                                         StoreSettings settings, boolean standby) {
        String schema = engine.poolSchema(settings.schema());
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
        engine.configurePool(config, settings);
        if (standby) {
            config.setPoolName("configstore-reads");
            config.setReadOnly(true);
            config.setInitializationFailTimeout(-1);
            config.setConnectionTimeout(Math.max(250, settings.replication().replicaWait().toMillis()));
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw SqlErrors.translate("opening the store at " + redact(url), e);
        }
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
