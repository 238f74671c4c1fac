package dev.configstore.internal.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.configstore.Durability;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReadWriteLock;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/** PostgreSQL: a server shared by many processes; a commit is as durable as the server makes it. */
final class PostgresEngine implements Engine {

    static final PostgresEngine INSTANCE = new PostgresEngine();

    private PostgresEngine() {
    }

    @Override
    public SQLDialect dialect() {
        return SQLDialect.POSTGRES;
    }

    @Override
    public String prepareUrl(String url, StoreSettings settings) {
        return PostgresUrls.forWrites(url);
    }

    @Override
    public void configurePool(HikariConfig config, StoreSettings settings) {
        String init = "SET lock_timeout = " + settings.lockTimeout().toMillis();
        String synchronousCommit = PostgresCommits.synchronousCommit(settings.durability());
        if (synchronousCommit != null) {
            // PROCESS: the server survives a crash of this process; it may lose the last commits on a power loss.
            // REPLICATED: the commit waits for a synchronous standby (on, or remote_apply)
            init += "; SET synchronous_commit = " + synchronousCommit;
        }
        config.setConnectionInitSql(init);
        // a server that stops answering is taken as gone after this long (then the failover retries run)
        config.addDataSourceProperty("socketTimeout", Long.toString(PostgresUrls.socketTimeoutSeconds(settings)));
        config.setConnectionTimeout(Math.max(settings.replication().failoverTimeout().toMillis(),
                settings.lockTimeout().toMillis() * 2));
        // pgjdbc waits 10 s for a connection and forever for a login by default; the URL's own values win
        String seconds = Long.toString(Math.max(1, settings.connectTimeout().toSeconds()));
        config.addDataSourceProperty("connectTimeout", seconds);
        config.addDataSourceProperty("loginTimeout", seconds);
    }

    @Override
    public String poolSchema(String schema) {
        return schema;
    }

    /** The role the operator named, or one the store makes on the first query. */
    @Override
    public SqlReader reader(DataSource admin, String url, StoreSettings settings) {
        return new PostgresReader(admin, url == null ? null : withoutCredentials(url), settings.schema(),
                settings.readerUser(), settings.readerPassword());
    }

    @Override
    public GroupSync groupSync(Durability durability) {
        return null;
    }

    @Override
    public Committer committer(StoreSettings settings, boolean applicationConnections) {
        return new PostgresCommits(settings.durability(), settings.replication().failoverTimeout(),
                applicationConnections);
    }

    @Override
    public java.time.Duration failoverWindow(StoreSettings settings) {
        return settings.replication().failoverTimeout();
    }

    @Override
    public void createSchema(DataSource dataSource, String schema) throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    @Override
    public void afterMigrate(StoreDatabase database) {
        // the migration's commit is the server's, durable as it returns
    }

    @Override
    public void makeDurable(Connection connection) {
        // every commit already is
    }

    /** Locks the revision table against inserts until the transaction ends. */
    @Override
    public void lockOutOtherWriters(DSLContext context, HikariDataSource ownedPool) {
        context.execute("LOCK TABLE cs_revision IN EXCLUSIVE MODE");
    }

    /** The tables and indexes of the store's schema. */
    @Override
    public long sizeOnDisk(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)"
                     + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname = current_schema() AND c.relkind = 'r'")) {
            rows.next();
            return rows.getLong(1);
            }
    }

    /** VACUUM, which makes the space reusable (it does not shrink the files). */
    @Override
    public boolean reclaimSpace(DataSource dataSource, HikariDataSource ownedPool, Path directory,
                                ReadWriteLock maintenance, int maxMillis) {
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

    /** PostgreSQL seeks past k itself, and its text cannot hold the U+0000 of H2's successor. */
    @Override
    public String after() {
        return "> ?";
    }

    @Override
    public String afterValue(String text) {
        return text;
    }

    @Override
    public String useIndex(String index) {
        return "";
    }

    @Override
    public String checkQuery(String sql) {
        return ReadOnlyQuery.check(sql, true);
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
}
