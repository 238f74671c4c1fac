package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.ConfigStoreException;
import dev.configstore.Durability;
import dev.configstore.ErrorCode;
import dev.configstore.internal.db.StoreDatabase.Engine;
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

    private static final String LOOPBACK = "127.0.0.1";

    private StoreOpening() {
    }

    /** Opens (creating if needed) and migrates the database described by the settings. */
    static StoreDatabase open(StoreSettings settings) {
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

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
