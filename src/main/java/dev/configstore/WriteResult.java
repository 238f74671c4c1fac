package dev.configstore;

/**
 * The outcome of a write.
 *
 * @param revision the revision the write produced, or the head revision it found when it
 *     changed nothing
 * @param changed whether the write produced a new revision
 * @param keysChanged how many leaf values were added, changed or removed
 */
public record WriteResult(long revision, boolean changed, int keysChanged) {

    /**
     * Validates the fields.
     *
     * @param revision the revision the write produced, or the head revision it found when it
     *     changed nothing
     * @param changed whether the write produced a new revision
     * @param keysChanged how many leaf values were added, changed or removed
     */
    public WriteResult {
        if (revision < 0 || keysChanged < 0) {
            throw new IllegalArgumentException("revision and keysChanged must be >= 0");
        }
    }
}
