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

    /**
     * Recovers the file if H2 is opening it. H2 also calls this when a session connects to a
     * database that is already open with the setting in its URL (it runs it as
     * {@code SET DATABASE_EVENT_LISTENER}): then this process holds the file, and the recovery
     * must not touch it. Even reading it would drop the lock H2 holds, since closing any channel
     * of a file releases the process's locks on it. A test run that did so rewrote a live host's
     * header, and the writer that took over from that host lost 43 writes.
     */
    @Override
    public void init(String url) {
        if (StackWalker.getInstance().walk(frames -> frames.anyMatch(H2OpenRecovery::opensTheDatabase))) {
            H2CrashRecovery.recoverBeforeOpen(url);
        }
    }

    private static boolean opensTheDatabase(StackWalker.StackFrame frame) {
        return frame.getClassName().equals("org.h2.engine.Database") && frame.getMethodName().equals("<init>");
    }
}
