package dev.configstore.watch;

import dev.configstore.ConfigStoreException;
import java.util.Optional;

/**
 * A running watch. Thread-safe. Closing it stops deliveries (an event being delivered
 * finishes first); closing the store closes its watches.
 */
public interface Watch extends AutoCloseable {

    /**
     * The revision up to which this watch has looked: every matching change up to it has been
     * handed to the listener. Resume a later watch after this revision to lose nothing.
     *
     * @return the revision
     */
    long position();

    /**
     * Whether the watch still delivers.
     *
     * @return false once closed or failed
     */
    boolean isOpen();

    /**
     * Why the watch stopped, if it stopped on its own.
     *
     * @return the failure, or empty while it runs or after a plain close
     */
    Optional<ConfigStoreException> failure();

    /** Stops the watch. Idempotent. */
    @Override
    void close();
}
