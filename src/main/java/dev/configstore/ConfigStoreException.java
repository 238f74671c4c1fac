package dev.configstore;

import java.util.Objects;

/**
 * The one unchecked exception the store throws for failures that are not the caller's
 * programming mistakes. The {@link #code()} says what kind of failure it is; the message
 * names what failed and what to do next.
 */
public class ConfigStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    private final ErrorCode code;

    /**
     * Creates an exception with a code and a message.
     *
     * @param code what kind of failure this is
     * @param message what failed, with identifiers and values
     */
    public ConfigStoreException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * Creates an exception with a code, a message and the underlying cause.
     *
     * @param code what kind of failure this is
     * @param message what failed, with identifiers and values
     * @param cause the original exception, or {@code null}
     */
    public ConfigStoreException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * Returns what kind of failure this is.
     *
     * @return the error code, never {@code null}
     */
    public ErrorCode code() {
        return code;
    }
}
