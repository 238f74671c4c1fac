package dev.configstore.internal.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The H2 reader: a user without admin rights with SELECT on the store's schema; H2 refuses such
 * a user every file function. Its password lives in the store's credentials file, or in memory
 * for a store opened by URL.
 */
final class H2Reader extends SqlReader {

    private final boolean passwordInFile;

    /** @param passwordInFile whether the password is the credentials file's (never changed here) */
    H2Reader(DataSource admin, String url, String user, String password, boolean passwordInFile) {
        super(admin, url, null, user, password);
        this.passwordInFile = passwordInFile;
    }

    @Override
    boolean repairable() {
        return true;
    }

    /**
     * Asks the admin pool first: if the process that held the file died, the admin pool takes
     * it over, with the crash recovery its URL names (H2OpenRecovery), before the reader's
     * connection, whose URL may not name it, could open the file without that recovery.
     */
    @Override
    Connection open(Duration timeout) throws SQLException {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    synchronized void repair() throws SQLException {
        if (!passwordInFile) {
            password = secret(); // a store opened by URL keeps the reader's password in memory only
        }
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE USER IF NOT EXISTS " + user + " PASSWORD '" + password + "'");
            statement.execute("ALTER USER " + user + " SET PASSWORD '" + password + "'");
            statement.execute("ALTER USER " + user + " ADMIN FALSE");
            statement.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + user);
            commit(connection);
        }
    }

    /**
     * Creates the H2 reader if it is missing and grants it the schema; writes nothing when it is
     * already there, so opening a store does not write.
     */
    @Override
    void ensure() throws SQLException {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            boolean ready;
            try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.RIGHTS"
                    + " WHERE GRANTEE = '" + user.toUpperCase(Locale.ROOT) + "'")) {
                row.next();
                ready = row.getInt(1) > 0;
            }
            if (!ready) {
                statement.execute("CREATE USER IF NOT EXISTS " + user + " PASSWORD '" + password + "'");
                statement.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + user);
            }
            commit(connection);
        }
    }
}
