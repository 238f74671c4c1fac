package dev.configstore.internal.db;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the pool to drop a connection whose database went away. HikariCP evicts on the SQL
 * states of broken connections (08...), but H2 reports a dead auto-server host as "connection
 * broken" and, after that, "database is already closed" with states of its own; without this a
 * process that joined through another's auto-server kept handing out dead connections forever.
 * A PostgreSQL connection terminated by its server (57P01) or left on a server that is now a
 * standby (25006) goes too: the next one finds the primary.
 */
public final class ConnectionLossEviction implements SQLExceptionOverride {

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException sqlException) {
        String state = sqlException.getSQLState();
        return SqlErrors.isConnectionLoss(sqlException) || "57P01".equals(state) || "25006".equals(state)
                ? SQLExceptionOverride.Override.MUST_EVICT
                : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
