package dev.configstore.history;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Filters for the history: a time range (inclusive), an actor, an operation kind, and how many
 * entries at most, newest first, optionally only those older than a revision (the next page of a
 * listing). Immutable; start from {@link #newest(int)}.
 *
 * @param since only entries at or after this instant
 * @param until only entries at or before this instant
 * @param actor only entries by this actor (exact match)
 * @param operation only entries of this operation kind ({@code set}, {@code restore}, ...)
 * @param limit the most entries to return, at least 1; a key's history completes the changes of
 *     the last revision it returns, so a page of it may hold a few more (a revision is never split
 *     between pages)
 * @param beforeRevision only entries of revisions below this one (the oldest revision of the
 *     previous page); the operation log does not page and ignores it
 */
public record HistoryQuery(Optional<Instant> since, Optional<Instant> until, Optional<String> actor,
                           Optional<String> operation, int limit, OptionalLong beforeRevision) {

    /**
     * Validates the fields.
     *
     * @param since only entries at or after this instant
     * @param until only entries at or before this instant
     * @param actor only entries by this actor (exact match)
     * @param operation only entries of this operation kind ({@code set}, {@code restore}, ...)
     * @param limit the most entries to return, at least 1
     * @param beforeRevision only entries of revisions below this one
     */
    public HistoryQuery {
        Objects.requireNonNull(beforeRevision, "beforeRevision");
        if (beforeRevision.isPresent() && beforeRevision.getAsLong() < 1) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "a page before revision "
                    + beforeRevision.getAsLong() + " is empty; the first revision is 1");
        }
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(operation, "operation");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (since.isPresent() && until.isPresent() && since.get().isAfter(until.get())) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "since " + since.get() + " is after until "
                    + until.get());
        }
    }

    /**
     * A query of every entry that passes the filters, newest first.
     *
     * @param since only entries at or after this instant
     * @param until only entries at or before this instant
     * @param actor only entries by this actor (exact match)
     * @param operation only entries of this operation kind
     * @param limit the most entries to return, at least 1
     */
    public HistoryQuery(Optional<Instant> since, Optional<Instant> until, Optional<String> actor,
                        Optional<String> operation, int limit) {
        this(since, until, actor, operation, limit, OptionalLong.empty());
    }

    /**
     * Returns a query for the newest entries, unfiltered.
     *
     * @param limit the most entries, at least 1
     * @return the query
     */
    public static HistoryQuery newest(int limit) {
        return new HistoryQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    /**
     * Returns this query from an instant on.
     *
     * @param instant the start, inclusive
     * @return a new query
     */
    public HistoryQuery since(Instant instant) {
        return new HistoryQuery(Optional.of(instant), until, actor, operation, limit, beforeRevision);
    }

    /**
     * Returns this query up to an instant.
     *
     * @param instant the end, inclusive
     * @return a new query
     */
    public HistoryQuery until(Instant instant) {
        return new HistoryQuery(since, Optional.of(instant), actor, operation, limit, beforeRevision);
    }

    /**
     * Returns this query for one actor.
     *
     * @param name the actor
     * @return a new query
     */
    public HistoryQuery actor(String name) {
        return new HistoryQuery(since, until, Optional.of(name), operation, limit, beforeRevision);
    }

    /**
     * Returns this query for one operation kind.
     *
     * @param kind the operation
     * @return a new query
     */
    public HistoryQuery operation(String kind) {
        return new HistoryQuery(since, until, actor, Optional.of(kind), limit, beforeRevision);
    }

    /**
     * Returns this query for the entries of revisions below one: the page after a page whose
     * oldest revision that is.
     *
     * @param revision the exclusive upper bound, at least 1
     * @return a new query
     */
    public HistoryQuery beforeRevision(long revision) {
        return new HistoryQuery(since, until, actor, operation, limit, OptionalLong.of(revision));
    }
}
