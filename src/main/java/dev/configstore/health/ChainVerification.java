package dev.configstore.health;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What recomputing the history's hash chain found. Immutable.
 *
 * @param floorRevision the revision the chain was checked from (the history floor; 0 without
 *     compaction), whose hash the compaction recorded
 * @param headRevision the newest revision checked
 * @param revisionsChecked how many revisions were recomputed
 * @param macsChecked whether each revision's HMAC was checked too (a key was present)
 * @param firstBrokenRevision the first revision whose stored hash, HMAC or anchor did not
 *     match, if any
 * @param problem what did not match there; empty when intact
 */
public record ChainVerification(long floorRevision, long headRevision, long revisionsChecked, boolean macsChecked,
                                OptionalLong firstBrokenRevision, String problem) {

    /**
     * Validates the fields.
     *
     * @param floorRevision the revision the chain was checked from
     * @param headRevision the newest revision checked
     * @param revisionsChecked how many revisions were recomputed
     * @param macsChecked whether HMACs were checked too
     * @param firstBrokenRevision the first revision that did not match, if any
     * @param problem what did not match there
     */
    public ChainVerification {
        Objects.requireNonNull(firstBrokenRevision, "firstBrokenRevision");
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * Returns whether every revision matched.
     *
     * @return {@code true} if nothing was found rewritten
     */
    public boolean isIntact() {
        return firstBrokenRevision.isEmpty();
    }
}
