package dev.configstore.internal.health;

import dev.configstore.Durability;
import dev.configstore.health.HealthFinding;
import dev.configstore.health.HealthLevel;
import dev.configstore.internal.db.StoreDatabase;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Record;
import org.jooq.SQLDialect;

/**
 * The health check's view of replication, from the server: the standbys the primary streams to
 * ({@code pg_stat_replication}: synchronous or not, replay lag in bytes and seconds) and whether
 * the writes this store makes are as safe as it was told to make them.
 */
final class ReplicationCheck {

    private ReplicationCheck() {
    }

    static HealthFinding check(StoreDatabase database, Durability durability) {
        if (database.dialect() != SQLDialect.POSTGRES) {
            return new HealthFinding("replication", HealthLevel.OK, "not checked: an H2 store has no standbys", "");
        }
        return database.read(context -> {
            String names = String.valueOf(context.fetchValue("SELECT current_setting('synchronous_standby_names')"));
            List<String> standbys = new ArrayList<>();
            int synchronous = 0;
            for (Record row : context.fetch("SELECT application_name, client_addr, state, sync_state,"
                    + " COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint AS lag_bytes,"
                    + " COALESCE(EXTRACT(EPOCH FROM replay_lag), 0)::float8 AS lag_seconds"
                    + " FROM pg_stat_replication ORDER BY application_name")) {
                String sync = row.get(3, String.class);
                if ("sync".equals(sync) || "quorum".equals(sync)) {
                    synchronous++;
                }
                standbys.add(row.get(0, String.class) + "@" + row.get(1, String.class) + " " + row.get(2, String.class)
                        + " " + (sync == null ? "(state hidden: grant pg_monitor)" : sync) + ", replay lag "
                        + row.get(4, Long.class) + " B / " + String.format(java.util.Locale.ROOT, "%.3f s",
                        row.get(5, Double.class)));
            }
            String message = (standbys.isEmpty() ? "no standby streams from this server"
                    : standbys.size() + " standby(s): " + String.join("; ", standbys))
                    + "; synchronous_standby_names = '" + names + "'; the store writes with Durability." + durability;
            if (durability.replicated() && synchronous == 0) {
                return new HealthFinding("replication", HealthLevel.CRITICAL, message + ": no synchronous standby is"
                        + " connected, so the store writes nothing", "start a standby (pg_basebackup -R from the primary),"
                        + " or relax synchronous_standby_names and open the store with Durability.SYNC");
            }
            if (!names.isBlank() && synchronous == 0) {
                return new HealthFinding("replication", HealthLevel.WARN, message + ": the server waits for a"
                        + " synchronous standby that is not connected, so every commit waits for the failover timeout",
                        "start a standby, or set synchronous_standby_names = '' on the server");
            }
            return new HealthFinding("replication", HealthLevel.OK, message, "");
        });
    }
}
