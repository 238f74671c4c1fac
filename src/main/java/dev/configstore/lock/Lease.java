package dev.configstore.lock;

import dev.configstore.ConfigStoreException;
import java.time.Duration;
import java.time.Instant;

/**
 * A held lease. Closing it releases it (quietly if it was already released or taken over after
 * expiring). Not thread-safe; hand it to one thread at a time.
 */
public interface Lease extends AutoCloseable {

    /**
     * Returns the lease's name.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the lease id: whoever has it may renew or release the lease.
     *
     * @return the id
     */
    String id();

    /**
     * Returns when the lease expires unless renewed, as of the last acquire or renew.
     *
     * @return the expiry
     */
    Instant expiresAt();

    /**
     * Extends the lease to {@code ttl} from now.
     *
     * @param ttl the new time to live, positive
     * @throws ConfigStoreException with {@code NOT_FOUND} if the lease was released or taken
     *     over after expiring
     */
    void renew(Duration ttl);

    /** Releases the lease; does nothing if it is no longer held. */
    @Override
    void close();
}
