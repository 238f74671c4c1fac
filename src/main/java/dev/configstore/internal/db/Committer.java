package dev.configstore.internal.db;

import java.sql.Connection;
import java.sql.SQLException;

/** How a write transaction starts and commits on an engine. */
interface Committer {

    /** Plain JDBC: nothing to check, the commit is confirmed when it returns. */
    Committer PLAIN = new Committer() {
        @Override
        public void beforeWrite(Connection connection, boolean queue) {
        }

        @Override
        public String commit(Connection connection) throws SQLException {
            connection.commit();
            return null;
        }
    };

    /**
     * Runs before the work of a write transaction; throws when the write must not start.
     * {@code queue}: the transaction writes a revision, and waits its turn among the store's writers.
     */
    void beforeWrite(Connection connection, boolean queue) throws SQLException;

    /**
     * Checks that what was committed before is as durable as the store promises (a write found
     * committed after its connection broke during COMMIT).
     *
     * @return null when it is, else what is missing
     */
    default String confirm(Connection connection) throws SQLException {
        return null;
    }

    /**
     * Commits the transaction.
     *
     * @return null when the commit is as durable as the store promises, else what is missing
     *     (the commit went through nonetheless)
     */
    String commit(Connection connection) throws SQLException;
}
