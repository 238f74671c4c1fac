package dev.configstore.watch;

import dev.configstore.ConfigKey;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.Objects;
import java.util.Optional;

/**
 * What a watch follows: a key and everything below it (or the whole document), of one
 * document or profile (resolved through the profiles it extends), from a revision on.
 *
 * <p>Immutable and thread-safe. Start with {@link #everything()} or {@link #key(String)} and
 * narrow it with the {@code in...} and {@code from...} methods.
 *
 * @param document the document or profile, {@value ConfigStore#MAIN_DOCUMENT} by default
 * @param key the key whose value and everything below it is followed; empty for the whole document
 * @param afterRevision the watch delivers the revisions after this one; {@link #HEAD} for the
 *     head when the watch starts (only new changes)
 */
public record WatchRequest(String document, Optional<ConfigKey> key, long afterRevision) {

    /** Marks a request that starts at the head the store has when the watch starts. */
    public static final long HEAD = -1;

    /**
     * Validates the fields.
     *
     * @param document the document to watch
     * @param key the key (a prefix) to watch, or empty for the whole document
     * @param afterRevision deliver changes after this revision, or {@link #HEAD}
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the starting revision
     *     is negative (other than {@link #HEAD})
     */
    public WatchRequest {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(key, "key");
        if (afterRevision < HEAD) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT,
                    "a watch starts after a revision of 0 or more, was " + afterRevision);
        }
    }

    /**
     * Follows the whole main document from the head on.
     *
     * @return the request
     */
    public static WatchRequest everything() {
        return new WatchRequest(ConfigStore.MAIN_DOCUMENT, Optional.empty(), HEAD);
    }

    /**
     * Follows one key of the main document and everything below it, from the head on.
     *
     * @param key the key in dotted form
     * @return the request
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the key is malformed
     */
    public static WatchRequest key(String key) {
        return new WatchRequest(ConfigStore.MAIN_DOCUMENT, Optional.of(ConfigKey.parse(key)), HEAD);
    }

    /**
     * The same request on another document or profile.
     *
     * @param name the document or profile name
     * @return a new request
     */
    public WatchRequest in(String name) {
        return new WatchRequest(name, key, afterRevision);
    }

    /**
     * The same request, delivering every matching change committed after a revision: an
     * application that keeps the last revision it handled resumes there with nothing lost.
     *
     * @param revision the last revision already handled, 0 for the whole history
     * @return a new request
     */
    public WatchRequest after(long revision) {
        if (revision < 0) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT,
                    "a watch starts after a revision of 0 or more, was " + revision);
        }
        return new WatchRequest(document, key, revision);
    }
}
