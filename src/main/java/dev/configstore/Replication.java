package dev.configstore;

import dev.configstore.internal.db.Ranges;
import java.time.Duration;
import java.util.Objects;

/**
 * How a store on PostgreSQL lives with a replicated server: where it reads, how long it waits
 * for a standby to catch up, and how long it keeps trying through a failover. Immutable; each
 * method returns a changed copy.
 *
 * <pre>{@code
 * ConfigStore.builder()
 *     .url("jdbc:postgresql://db1:5432,db2:5432/app")          // writes go to the primary
 *     .replication(Replication.defaults()
 *         .readUrl("jdbc:postgresql://db1:5432,db2:5432/app")  // reads prefer a standby
 *         .failoverTimeout(Duration.ofSeconds(20)))
 *     .durability(Durability.REPLICATED)                      // a returned write is on a standby too
 *     .open();
 * }</pre>
 */
public final class Replication {

    private static final Replication DEFAULTS = new Replication(null, Duration.ofSeconds(30), Duration.ofSeconds(1));

    private final String readUrl;
    private final Duration failoverTimeout;
    private final Duration replicaWait;

    private Replication(String readUrl, Duration failoverTimeout, Duration replicaWait) {
        this.readUrl = readUrl;
        this.failoverTimeout = failoverTimeout;
        this.replicaWait = replicaWait;
    }

    /** No read URL, a failover timeout of 30 s, a replica wait of 1 s. */
    public static Replication defaults() {
        return DEFAULTS;
    }

    /**
     * Reads history, past revisions, diffs and exports through this URL, usually the same hosts
     * as the store's URL: the store adds {@code targetServerType=preferSecondary} and
     * {@code loadBalanceHosts=true} unless the URL sets them. A read that must see revision R (the
     * newest this store wrote or saw, or the revision asked for) waits up to {@link #replicaWait}
     * for the standby to replay R, then goes to the primary. Credentials are the store's.
     *
     * @param url a {@code jdbc:postgresql:} URL
     * @return a copy with the read URL
     */
    public Replication readUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the read URL must be a jdbc:postgresql: URL, was '"
                    + url.replaceAll("(?i)(password=)[^&;]*", "$1***") + "'");
        }
        return new Replication(url, failoverTimeout, replicaWait);
    }

    /**
     * How long a call keeps going through a failover: a server that does not answer for this
     * long is taken as gone, a lost connection is tried again for this long (with backoff,
     * against every host of the URL), and a commit that waits this long for a synchronous
     * standby is cancelled and reported. A write therefore ends within about twice this time.
     * Must be longer than the lock timeout. Default: 30 s.
     *
     * @param timeout 1 s to 10 min
     * @return a copy with the timeout
     */
    public Replication failoverTimeout(Duration timeout) {
        return new Replication(readUrl, Ranges.within("failoverTimeout", timeout, Duration.ofSeconds(1),
                Duration.ofMinutes(10), false, "1s..10min"), replicaWait);
    }

    /**
     * How long a read through the read URL waits for a standby that has not replayed the revision
     * it must see, before it reads from the primary instead. Default: 1 s.
     *
     * @param wait 0 to 1 min
     * @return a copy with the wait
     */
    public Replication replicaWait(Duration wait) {
        return new Replication(readUrl, failoverTimeout, Ranges.within("replicaWait", wait, Duration.ZERO,
                Duration.ofMinutes(1), true, "0..1min"));
    }

    /** The read URL, or null when every read goes to the store's own URL. */
    public String readUrl() {
        return readUrl;
    }

    public Duration failoverTimeout() {
        return failoverTimeout;
    }

    public Duration replicaWait() {
        return replicaWait;
    }
}
