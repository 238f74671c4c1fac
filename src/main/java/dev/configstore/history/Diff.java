package dev.configstore.history;

import java.util.List;
import java.util.Objects;

/**
 * What changed between two revisions, sorted by document and key. Immutable.
 *
 * @param fromRevision the older revision
 * @param toRevision the newer revision
 * @param changes every key that differs, with its values at both revisions
 */
public record Diff(long fromRevision, long toRevision, List<KeyChange> changes) {

    /**
     * Validates the fields.
     *
     * @param fromRevision the older revision
     * @param toRevision the newer revision
     * @param changes every key that differs, with its values at both revisions
     */
    public Diff {
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
    }

    /**
     * Returns whether nothing changed.
     *
     * @return {@code true} if the two revisions hold the same values
     */
    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
