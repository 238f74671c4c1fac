package dev.configstore;

/**
 * A write of a store opened with {@link Durability#REPLICATED} that the primary committed but no
 * synchronous standby confirmed within the failover timeout. The revision exists on the primary
 * and readers there see it; it is lost if the primary is lost before a standby copies it. Do not
 * write it again blindly: it is not missing.
 */
public final class UnconfirmedWriteException extends ConfigStoreException {

    private static final long serialVersionUID = 1L;

    private final long revision;

    public UnconfirmedWriteException(long revision, String message, Throwable cause) {
        super(ErrorCode.STORE_UNAVAILABLE, message, cause);
        this.revision = revision;
    }

    /** The revision the primary committed, or -1 for a write that makes no revision (a lease, a restore point). */
    public long revision() {
        return revision;
    }
}
