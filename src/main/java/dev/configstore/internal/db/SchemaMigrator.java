package dev.configstore.internal.db;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema to the version this build knows. Reading the applied version with plain
 * JDBC takes milliseconds; Flyway itself costs half a second per open, so it runs only when
 * the database is behind.
 */
final class SchemaMigrator {

    /** The newest migration in db/migration; a test checks that the two agree. */
    static final int LATEST_VERSION = 6;
    static final String HISTORY_TABLE = "configstore_schema_history";
    static final String LOCATION = "classpath:dev/configstore/db/migration";

    private SchemaMigrator() {
    }

    /** Migrates if needed; returns whether Flyway ran. */
    static boolean migrate(DataSource dataSource, String schema, String description) {
        int applied = appliedVersion(dataSource, schema);
        if (applied > LATEST_VERSION) {
            throw new ConfigStoreException(ErrorCode.SCHEMA_TOO_NEW, "store " + description
                    + " has schema version " + applied + " but this configstore knows only up to version "
                    + LATEST_VERSION + "; upgrade configstore to open it");
        }
        if (applied == LATEST_VERSION) {
            return false;
        }
        var configuration = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .loggers("slf4j");
        if (schema != null) {
            configuration.schemas(schema).createSchemas(true);
        }
        try {
            configuration.load().migrate();
        } catch (RuntimeException e) {
            throw SqlErrors.translate("migrating the schema of store " + description, e);
        }
        return true;
    }

    /** The highest successfully applied version, or 0 for an empty database. */
    static int appliedVersion(DataSource dataSource, String schema) {
        try (Connection connection = dataSource.getConnection()) {
            int highest = appliedVersion(connection, schema);
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return highest;
        } catch (SQLException e) {
            throw SqlErrors.translate("reading the schema version of store " + description(schema), e);
        }
    }

    /** The highest successfully applied version on an open connection, or 0 for an empty database. */
    static int appliedVersion(Connection connection, String schema) throws SQLException {
        String table = findHistoryTable(connection.getMetaData(), schema);
        if (table == null) {
            return 0;
        }
        int highest = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"version\", \"success\" FROM " + table)) {
            while (rows.next()) {
                String version = rows.getString(1);
                if (version != null && rows.getBoolean(2)) {
                    highest = Math.max(highest, parseMajor(version));
                }
            }
        }
        return highest;
    }

    private static String findHistoryTable(DatabaseMetaData meta, String schema) throws SQLException {
        for (String name : new String[] {HISTORY_TABLE, HISTORY_TABLE.toUpperCase(java.util.Locale.ROOT)}) {
            String schemaPattern = schema;
            if (schema == null) {
                schemaPattern = meta.getConnection().getSchema();
            }
            try (ResultSet tables = meta.getTables(null, schemaPattern, name, null)) {
                if (tables.next()) {
                    String found = tables.getString("TABLE_NAME");
                    String foundSchema = tables.getString("TABLE_SCHEM");
                    return "\"" + foundSchema + "\".\"" + found + "\"";
                }
            }
        }
        return null;
    }

    private static int parseMajor(String version) {
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String description(String schema) {
        return schema == null ? "(default schema)" : "schema " + schema;
    }
}
