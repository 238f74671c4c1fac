package dev.configstore.watch;

import dev.configstore.ConfigStoreException;

/**
 * Receives a watch's events, one at a time, on a thread of the store (never the writer's).
 * An exception thrown by {@link #onEvent} is logged and reported to the store's metrics hook;
 * the event counts as delivered and the watch goes on with the next one.
 */
@FunctionalInterface
public interface WatchListener {

    /**
     * Called once per revision that touches the request, in revision order.
     *
     * @param event the event
     */
    void onEvent(WatchEvent event);

    /**
     * Called once when the watch cannot go on: the history it had still to deliver was compacted
     * ({@link dev.configstore.HistoryCompactedException}) or the store failed. The watch is
     * closed after this call. Does nothing by default.
     *
     * @param failure why the watch stopped
     */
    default void onFailure(ConfigStoreException failure) {
    }
}
