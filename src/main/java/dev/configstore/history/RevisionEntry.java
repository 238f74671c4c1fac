package dev.configstore.history;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One committed revision. Immutable.
 *
 * @param revision the revision number
 * @param committedAt when it was committed, by the store's clock
 * @param actor who committed it
 * @param message the message given with the write, if any
 * @param operation the operation that wrote it, e.g. {@code set} or {@code batch}
 */
public record RevisionEntry(long revision, Instant committedAt, String actor, Optional<String> message,
                            String operation) {

    /**
     * Validates the fields.
     *
     * @param revision the revision number
     * @param committedAt when it was committed, by the store's clock
     * @param actor who committed it
     * @param message the message given with the write, if any
     * @param operation the operation that wrote it, e.g. {@code set} or {@code batch}
     */
    public RevisionEntry {
        Objects.requireNonNull(committedAt, "committedAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(operation, "operation");
    }
}
