package dev.configstore.watch;

import dev.configstore.history.KeyChange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One committed revision as a watch sees it: who made it, when, and the changes that fall
 * inside the watch's request (after resolution, for a profile). Never empty: a revision that
 * changes nothing a watch follows is not delivered to it.
 *
 * @param revision the revision
 * @param committedAt when it was committed
 * @param actor who committed it
 * @param message the commit message, if any
 * @param operation the operation that made it ({@code set}, {@code import}, ...)
 * @param changes the key changes inside the request, sorted by key
 */
public record WatchEvent(long revision, Instant committedAt, String actor, Optional<String> message,
                         String operation, List<KeyChange> changes) {

    /**
     * Validates the fields.
     *
     * @param revision the revision
     * @param committedAt when it was committed
     * @param actor who committed it
     * @param message the commit message, if any
     * @param operation the operation that made it ({@code set}, {@code import}, ...)
     * @param changes the key changes inside the request, sorted by key
     */
    public WatchEvent {
        Objects.requireNonNull(committedAt, "committedAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(operation, "operation");
        changes = List.copyOf(changes);
    }
}
