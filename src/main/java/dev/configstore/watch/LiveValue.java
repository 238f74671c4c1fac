package dev.configstore.watch;

import dev.configstore.ConfigStoreException;

/**
 * A value of a document bound to a Java type that follows the store: {@link #get()} returns
 * the value of the newest revision that converted, replaced whole per revision, so a reader
 * never sees part of one revision and part of another. Thread-safe.
 *
 * @param <T> the type the value is converted to
 */
public interface LiveValue<T> extends AutoCloseable {

    /**
     * The value as of {@link #revision()}.
     *
     * @return the value
     */
    T get();

    /**
     * The revision the current value was read at.
     *
     * @return the revision
     */
    long revision();

    /**
     * Adds a listener called, on a thread of the store, after the value changed.
     *
     * @param listener the listener
     * @return this live value
     */
    LiveValue<T> onChange(Listener<T> listener);

    /** Stops following the store; {@link #get()} keeps returning the last value. Idempotent. */
    @Override
    void close();

    /**
     * Told about each new value, and about each revision whose value could not be converted
     * (the last good value stays).
     *
     * @param <T> the value's type
     */
    @FunctionalInterface
    interface Listener<T> {

        /**
         * The value changed.
         *
         * @param oldValue the value before
         * @param newValue the value now
         * @param revision the revision that changed it
         */
        void changed(T oldValue, T newValue, long revision);

        /**
         * A revision changed the value to something that does not convert (a wrong type, a
         * missing required field, the key removed); the last good value stays. Does nothing by
         * default.
         *
         * @param error what is wrong, naming the key and the type
         * @param revision the revision
         */
        default void rejected(ConfigStoreException error, long revision) {
        }
    }
}
