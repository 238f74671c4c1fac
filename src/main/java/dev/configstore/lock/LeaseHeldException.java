package dev.configstore.lock;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;

/** A lease someone else holds and that has not expired. Carries the holder. */
public final class LeaseHeldException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    private final transient LeaseInfo holder;

    /**
     * Creates the exception.
     *
     * @param holder who holds the lease
     */
    public LeaseHeldException(LeaseInfo holder) {
        super(ErrorCode.LEASE_HELD, "lease '" + holder.name() + "' is held by " + holder.holder() + " until "
                + holder.expiresAt());
        this.holder = holder;
    }

    /**
     * Returns who holds the lease.
     *
     * @return the holder
     */
    public LeaseInfo holder() {
        return holder;
    }
}
