package dev.configstore.internal.db;

/**
 * Thrown by a write transaction that committed, and was handed to its {@code committed}
 * callback, but is not as durable as the store promises: the write kernel reports it with the
 * revision. Never retried.
 */
public final class UnconfirmedCommit extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnconfirmedCommit(String message) {
        super(message, null, false, false);
    }
}
