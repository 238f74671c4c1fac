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
    PROCESS,
    /**
     * PostgreSQL with a synchronous standby ({@code synchronous_standby_names} on the server):
     * when a write returns, the primary and a standby have it on disk, so it survives losing
     * the primary ({@code synchronous_commit = on} for the store's writes). The store writes
     * nothing while the server has no synchronous standby connected: such a write waits for one
     * up to the failover timeout, then fails naming what is missing. A commit that no standby
     * confirms within that timeout throws {@link UnconfirmedWriteException}, which carries the
     * revision the primary committed. Not available on H2.
     */
    REPLICATED,
    /**
     * As {@link #REPLICATED}, and the standby has also applied the write when it returns
     * ({@code synchronous_commit = remote_apply}): a read on that standby sees it at once.
     */
    REPLICATED_APPLIED;

    /**
     * Tells whether a returned write must be on a synchronous standby as well.
     *
     * @return true for {@link #REPLICATED} and {@link #REPLICATED_APPLIED}
     */
    public boolean replicated() {
        return this == REPLICATED || this == REPLICATED_APPLIED;
    }
}
