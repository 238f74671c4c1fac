package dev.configstore;

/**
 * What a returned write survives.
 */
public enum Durability {
    /**
     * The default: when a write returns, it is on disk and survives a power loss. On H2 the
     * store syncs the file after the commit; concurrent writers share one sync.
     */
    SYNC,
    /**
     * When a write returns, it survives a crash or {@code kill -9} of the process, but not a
     * power loss or an operating-system crash: the operating system still holds it in its
     * cache. Cheaper than {@link #SYNC}.
     */
    PROCESS
}
