package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.ConfigStoreException;
import dev.configstore.Durability;
import dev.configstore.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReadWriteLock;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * Everything that differs between the engines a store runs on. The rest of {@code internal.db}
 * and everything above it asks the engine instead of testing which one it is.
 */
sealed interface Engine extends RowDialect permits H2Engine, PostgresEngine {

    /** The engine of a JDBC URL the builder accepted ({@code jdbc:h2:} or {@code jdbc:postgresql:}). */
    static Engine ofUrl(String url) {
        return url.startsWith("jdbc:h2:") ? H2Engine.INSTANCE : PostgresEngine.INSTANCE;
    }

    /** The engine of an application's data source, from the database product it reports. */
    static Engine ofProduct(String product) {
        if ("H2".equalsIgnoreCase(product)) {
            return H2Engine.INSTANCE;
        }
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return PostgresEngine.INSTANCE;
        }
        throw new ConfigStoreException(ErrorCode.STORE_UNAVAILABLE, "the data source is " + product
                + "; configstore supports H2 and PostgreSQL");
    }

    SQLDialect dialect();

    /** Checks the environment and completes a user's URL before the pool connects with it. */
    String prepareUrl(String url, StoreSettings settings);

    /** Engine settings of the store's own pool. */
    void configurePool(HikariConfig config, StoreSettings settings);

    /** The schema the pool's connections use, or {@code null} where the engine has none to set. */
    String poolSchema(String schema);

    /** The read-only SQL user of a store opened by URL or data source ({@code url} null for the latter). */
    SqlReader reader(DataSource admin, String url, StoreSettings settings);

    /** Makes commits durable after they return, or {@code null} where the server's commit already is. */
    GroupSync groupSync(Durability durability);

    /** How write transactions start and commit; {@code applicationConnections}: from an application's data source. */
    Committer committer(StoreSettings settings, boolean applicationConnections);

    /** How long a lost connection is retried (a failover), or zero for a bounded number of attempts. */
    java.time.Duration failoverWindow(StoreSettings settings);

    /** Runs before the migrations: creates the store's schema where the engine has schemas. */
    void createSchema(DataSource dataSource, String schema) throws SQLException;

    /** Runs after migrations that changed the schema: makes it durable before anybody writes. */
    void afterMigrate(StoreDatabase database);

    /** Makes everything committed so far durable (before a head is recorded as durable). */
    void makeDurable(Connection connection) throws SQLException;

    /** Keeps other writers out of the transaction of {@code context} (an archive restore). */
    void lockOutOtherWriters(DSLContext context, HikariDataSource ownedPool);

    /** The store's size on disk in bytes, or -1 when it cannot be told. */
    long sizeOnDisk(Connection connection) throws SQLException;

    /**
     * Returns freed space to the file system; {@code maintenance} is taken exclusively by work
     * that takes the database away from this store's other calls.
     *
     * @return whether the space was fully reclaimed
     */
    boolean reclaimSpace(DataSource dataSource, HikariDataSource ownedPool, Path directory, ReadWriteLock maintenance,
                         int maxMillis);

    /** Checks a user's query text with this engine's lexical rules; see {@link ReadOnlyQuery}. */
    String checkQuery(String sql);
}
