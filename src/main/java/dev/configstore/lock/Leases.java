package dev.configstore.lock;

import dev.configstore.ConfigStoreException;
import java.time.Duration;
import java.util.Optional;

/**
 * Leases: named locks kept in the store's database with an owner (actor, host, pid) and an
 * expiry from the store's clock. An expired lease is stale: the next acquirer takes it over and
 * the operation log records that. Names follow the document-name rule. Thread-safe.
 */
public interface Leases {

    /**
     * Acquires a lease if it is free or stale, without waiting.
     *
     * @param name the lease
     * @param ttl how long it is held unless renewed, positive
     * @return the held lease
     * @throws LeaseHeldException if someone else holds it
     * @throws ConfigStoreException with {@code INVALID_INPUT} for a bad name or a non-positive ttl
     */
    Lease acquire(String name, Duration ttl);

    /**
     * Acquires a lease, waiting up to {@code wait} for it to be released or to expire.
     *
     * @param name the lease
     * @param ttl how long it is held unless renewed, positive
     * @param wait how long to wait at most; zero tries once
     * @return the held lease
     * @throws LeaseHeldException if it is still held when the wait ends
     */
    Lease acquire(String name, Duration ttl, Duration wait);

    /**
     * Extends a lease by id (for a holder in another process, such as the CLI).
     *
     * @param leaseId the id acquire gave
     * @param ttl the new time to live from now, positive
     * @return the lease as it is now
     * @throws ConfigStoreException with {@code NOT_FOUND} if no lease has that id
     */
    LeaseInfo renew(String leaseId, Duration ttl);

    /**
     * Releases a lease by id.
     *
     * @param leaseId the id acquire gave
     * @throws ConfigStoreException with {@code NOT_FOUND} if no lease has that id (unknown,
     *     released, or taken over by someone else after it expired)
     */
    void release(String leaseId);

    /**
     * Tells who holds a lease.
     *
     * @param name the lease
     * @return the holder, stale or not, or empty if nobody holds it
     */
    Optional<LeaseInfo> status(String name);
}
