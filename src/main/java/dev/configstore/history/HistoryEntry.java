package dev.configstore.history;

import java.util.Objects;

/**
 * One change of one key, with the revision that made it. Immutable.
 *
 * @param revision the revision that made the change
 * @param change the change
 */
public record HistoryEntry(RevisionEntry revision, KeyChange change) {

    /**
     * Validates the fields.
     *
     * @param revision the revision that made the change
     * @param change the change
     */
    public HistoryEntry {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(change, "change");
    }
}
