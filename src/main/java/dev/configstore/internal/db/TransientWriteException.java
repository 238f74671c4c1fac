package dev.configstore.internal.db;

/** A write that lost a race it may win when retried from the start (e.g. a revision number). */
public final class TransientWriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TransientWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
