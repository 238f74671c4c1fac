package dev.configstore;

/**
 * A write of a store opened with {@link Durability#REPLICATED} that the primary committed but no
 * synchronous standby confirmed within the failover timeout. The revision exists on the primary
 * and readers there see it; it is lost if the primary is lost before a standby copies it. Do not
 * write it again blindly: it is not missing.
 */
public final class UnconfirmedWriteException extends ConfigStoreException {

    private static final long serialVersionUID = 1L;

    /** The revision the primary committed, or -1. */
    private final long revision;

    /**
     * Creates the exception.
     *
     * @param revision the revision the primary committed, or -1 for a write without one
     * @param message what was committed and what is missing
     * @param cause the underlying exception, or {@code null}
     */
    public UnconfirmedWriteException(long revision, String message, Throwable cause) {
        super(ErrorCode.STORE_UNAVAILABLE, message, cause);
        this.revision = revision;
    }

    /**
     * Returns the revision the primary committed.
     *
     * @return the revision, or -1 for a write that makes no revision (a lease, a restore point)
     */
    public long revision() {
        return revision;
    }
}
