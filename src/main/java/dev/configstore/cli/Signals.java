package dev.configstore.cli;

/**
 * SIGINT and SIGTERM for commands that run until stopped: the command finishes normally (and
 * exits 0) instead of the JVM's default exit status for a signal.
 */
final class Signals {

    private Signals() {
    }

    /** Calls {@code stop} on SIGINT or SIGTERM; where the JVM does not offer signals, nothing. */
    @SuppressWarnings("restriction")
    static void onTermination(Runnable stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // not offered here: the JVM's own handling stays
            }
        }
    }
}
