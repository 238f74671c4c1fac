package dev.configstore.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One logged operation, successful or not. Immutable.
 *
 * @param id the log's own sequence number
 * @param operation what was done, e.g. {@code set}, {@code delete}, {@code verify}
 * @param document the document it concerned, if one
 * @param revision the revision it produced, if any
 * @param actor who did it
 * @param startedAt when it started, by the store's clock
 * @param duration how long it took
 * @param outcome {@code OK}, or the error code of the failure
 * @param error the error message of a failure
 */
public record OperationEntry(long id, String operation, Optional<String> document, OptionalLong revision,
                             String actor, Instant startedAt, Duration duration, String outcome,
                             Optional<String> error) {

    /**
     * Validates the fields.
     *
     * @param id the log's own sequence number
     * @param operation what was done, e.g. {@code set}, {@code delete}, {@code verify}
     * @param document the document it concerned, if one
     * @param revision the revision it produced, if any
     * @param actor who did it
     * @param startedAt when it started, by the store's clock
     * @param duration how long it took
     * @param outcome {@code OK}, or the error code of the failure
     * @param error the error message of a failure
     */
    public OperationEntry {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(error, "error");
    }
}
