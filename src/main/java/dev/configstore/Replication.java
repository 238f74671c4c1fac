package dev.configstore;

import java.time.Duration;
import java.util.Objects;

/**
 * How a store on PostgreSQL lives with a replicated server: where it reads, how long it waits
 * for a standby to catch up, and how long it keeps trying through a failover. Immutable; each
 * method that takes a value returns a changed copy.
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
 *
 * @param readUrl the read URL, or null when every read goes to the store's own URL
 * @param failoverTimeout how long a call keeps going through a failover, 1 s to 10 min
 * @param replicaWait how long a read waits for a standby, 0 to 1 min
 */
public record Replication(String readUrl, Duration failoverTimeout, Duration replicaWait) {

    private static final Replication DEFAULTS = new Replication(null, Duration.ofSeconds(30), Duration.ofSeconds(1));

    /**
     * Checks the values.
     *
     * @param readUrl the read URL, or null
     * @param failoverTimeout 1 s to 10 min
     * @param replicaWait 0 to 1 min
     * @throws IllegalArgumentException if a value is out of its range or the URL is not PostgreSQL's
     */
    public Replication {
        if (readUrl != null && !readUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the read URL must be a jdbc:postgresql: URL, was '"
                    + redact(readUrl) + "'");
        }
        Objects.requireNonNull(failoverTimeout, "failoverTimeout");
        Objects.requireNonNull(replicaWait, "replicaWait");
        if (failoverTimeout.compareTo(Duration.ofSeconds(1)) < 0
                || failoverTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("failoverTimeout must be 1s..10min, was " + failoverTimeout);
        }
        if (replicaWait.isNegative() || replicaWait.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("replicaWait must be 0..1min, was " + replicaWait);
        }
    }

    /**
     * Returns the defaults: no read URL, a failover timeout of 30 s, a replica wait of 1 s.
     *
     * @return the defaults
     */
    public static Replication defaults() {
        return DEFAULTS;
    }

    /**
     * Reads history, past revisions, diffs and the watches' catch-up through this URL, usually
     * the same hosts as the store's URL: the store adds {@code targetServerType=preferSecondary} and
     * {@code loadBalanceHosts=true} unless the URL sets them. A read that must see revision R (the
     * newest this store wrote or saw, or the revision asked for) waits up to {@link #replicaWait(Duration)}
     * for the standby to replay R, then goes to the primary. Credentials are the store's.
     *
     * @param url a {@code jdbc:postgresql:} URL
     * @return a copy with the read URL
     */
    public Replication readUrl(String url) {
        return new Replication(Objects.requireNonNull(url, "url"), failoverTimeout, replicaWait);
    }

    /**
     * How long a call keeps going through a failover: a server that does not answer for this
     * long is taken as gone, a lost connection is tried again for this long (with backoff,
     * against every host of the URL), and a commit that waits this long for a synchronous
     * standby is cancelled and reported. A write therefore ends within about twice this time.
     * Default: 30 s.
     *
     * @param timeout 1 s to 10 min
     * @return a copy with the timeout
     */
    public Replication failoverTimeout(Duration timeout) {
        return new Replication(readUrl, timeout, replicaWait);
    }

    /**
     * How long a read through the read URL waits for a standby that has not replayed the revision
     * it must see, before it reads from the primary instead. Default: 1 s.
     *
     * @param wait 0 to 1 min
     * @return a copy with the wait
     */
    public Replication replicaWait(Duration wait) {
        return new Replication(readUrl, failoverTimeout, wait);
    }

    /** Never shows a password of the read URL. */
    @Override
    public String toString() {
        return "Replication[readUrl=" + (readUrl == null ? null : redact(readUrl)) + ", failoverTimeout="
                + failoverTimeout + ", replicaWait=" + replicaWait + "]";
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
