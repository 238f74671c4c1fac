package dev.configstore.internal.db;

import org.h2.api.DatabaseEventListener;

/**
 * Runs the store's full-scan crash recovery whenever H2 itself opens the store file in this
 * process. H2 opens it not only when a store opens: a process that joined through the
 * auto-server opens the file when its host dies, inside a new pool connection or a session's
 * reconnect, and there H2's quick recovery can miss the newest acknowledged commits (a chunk
 * written into reused space, where the previous chunk did not point; see
 * {@link H2CrashRecovery}). Every store URL names this class as its
 * {@code DATABASE_EVENT_LISTENER}; H2 creates it and calls {@link #init} before it takes the
 * file. Not API: public only so that H2 can create it.
 */
public final class H2OpenRecovery implements DatabaseEventListener {

    /** The URL setting that makes H2 call this class at each open. */
    static final String URL_SETTING = ";DATABASE_EVENT_LISTENER='" + H2OpenRecovery.class.getName() + "'";

    /** Created by H2. */
    public H2OpenRecovery() {
    }

    @Override
    public void init(String url) {
        H2CrashRecovery.recoverBeforeOpen(url);
    }
}
