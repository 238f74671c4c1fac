package dev.configstore;

/**
 * Thrown when a read or a watch asks for history that compaction removed: revisions below the
 * store's history floor cannot be read or replayed. Nothing is served from a later point
 * instead; start again from the floor or later.
 */
public final class HistoryCompactedException extends ConfigStoreException {

    private static final long serialVersionUID = 1L;

    /** The revision asked for. */
    private final long requested;
    /** The oldest revision still readable. */
    private final long floor;

    /**
     * Creates the exception.
     *
     * @param requested the revision asked for
     * @param floor the oldest revision still readable
     */
    public HistoryCompactedException(long requested, long floor) {
        super(ErrorCode.NOT_FOUND, "revision " + requested + " was compacted: history starts at revision " + floor
                + "; start from revision " + floor + " or later");
        this.requested = requested;
        this.floor = floor;
    }

    /** @return the revision asked for */
    public long requested() {
        return requested;
    }

    /** @return the oldest revision still readable (the history floor) */
    public long floor() {
        return floor;
    }
}
