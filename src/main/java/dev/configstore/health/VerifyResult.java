package dev.configstore.health;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link StoreHealth#verify()}. Immutable.
 *
 * @param headRevision the head revision when the check ran
 * @param versionsChecked how many document revisions were recomputed
 * @param rowsChecked how many value rows were read
 * @param mismatches every document revision that did not match
 */
public record VerifyResult(long headRevision, long versionsChecked, long rowsChecked, List<ChecksumMismatch> mismatches) {

    /**
     * Validates the fields.
     *
     * @param headRevision the head revision when the check ran
     * @param versionsChecked how many document revisions were recomputed
     * @param rowsChecked how many value rows were read
     * @param mismatches every document revision that did not match
     */
    public VerifyResult {
        mismatches = List.copyOf(Objects.requireNonNull(mismatches, "mismatches"));
    }

    /**
     * Returns whether every checksum matched.
     *
     * @return {@code true} if there is no mismatch
     */
    public boolean isClean() {
        return mismatches.isEmpty();
    }
}
