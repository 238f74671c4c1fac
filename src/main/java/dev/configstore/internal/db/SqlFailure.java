package dev.configstore.internal.db;

import java.sql.SQLException;

/**
 * An {@link SQLException} from JDBC work that runs inside a lambda of the store, unchecked only
 * to get out of it. The retry and translation rules ({@link SqlErrors}) read the SQLException
 * it carries, exactly as they read one thrown by a jOOQ query.
 */
public final class SqlFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SqlFailure(SQLException cause) {
        super(SqlErrors.firstLine(cause.getMessage()), cause, false, true);
    }

    /** The SQLException the database reported. */
    public SQLException sql() {
        return (SQLException) getCause();
    }
}
