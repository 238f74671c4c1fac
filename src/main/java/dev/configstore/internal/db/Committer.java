package dev.configstore.internal.db;

import java.sql.Connection;
import java.sql.SQLException;

/** How a write transaction starts and commits on an engine. */
interface Committer {

    /** Plain JDBC: nothing to check, the commit is confirmed when it returns. */
    Committer PLAIN = new Committer() {
        @Override
        public void beforeWrite(Connection connection) {
        }

        @Override
        public String commit(Connection connection) throws SQLException {
            connection.commit();
            return null;
        }
    };

    /** Runs before the work of a write transaction; throws when the write must not start. */
    void beforeWrite(Connection connection) throws SQLException;

    /**
     * Commits the transaction.
     *
     * @return null when the commit is as durable as the store promises, else what is missing
     *     (the commit went through nonetheless)
     */
    String commit(Connection connection) throws SQLException;
}
