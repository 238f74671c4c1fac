package dev.configstore.lock;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a lease and until when.
 *
 * @param name the lease's name
 * @param id the lease id the holder got
 * @param actor the holder's actor
 * @param host the holder's host
 * @param pid the holder's process id
 * @param acquiredAt when it was acquired (or taken over), from the holder's store clock
 * @param expiresAt when it expires unless renewed
 * @param stale whether it had expired when this was read: the next acquirer may take it over
 */
public record LeaseInfo(String name, String id, String actor, String host, long pid, Instant acquiredAt,
                        Instant expiresAt, boolean stale) {

    /**
     * Validates the fields.
     *
     * @param name the lease's name
     * @param id the lease id the holder got
     * @param actor the holder's actor
     * @param host the holder's host
     * @param pid the holder's process id
     * @param acquiredAt when it was acquired (or taken over), from the holder's store clock
     * @param expiresAt when it expires unless renewed
     * @param stale whether it had expired when this was read: the next acquirer may take it over
     */
    public LeaseInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Returns the holder as {@code actor (host, pid N)}, for messages.
     *
     * @return the holder
     */
    public String holder() {
        return actor + " (" + host + ", pid " + pid + ")";
    }
}
