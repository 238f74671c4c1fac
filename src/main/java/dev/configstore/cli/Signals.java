package dev.configstore.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * SIGINT and SIGTERM for commands that run until stopped: the command finishes normally (and
 * exits 0) instead of the JVM's default exit status for a signal.
 */
final class Signals implements AutoCloseable {

    private final List<Object[]> previous = new ArrayList<>();

    private Signals() {
    }

    /**
     * Calls {@code stop} on SIGINT or SIGTERM until closed; closing puts back the handlers there
     * were before (a test that runs the command in its own JVM keeps its own). Where the JVM does
     * not offer signals, nothing changes.
     */
    @SuppressWarnings("restriction")
    static Signals onTermination(Runnable stop) {
        Signals signals = new Signals();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                signals.previous.add(new Object[] {signal, sun.misc.Signal.handle(signal, received -> stop.run())});
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // not offered here: the JVM's own handling stays
            }
        }
        return signals;
    }

    @Override
    @SuppressWarnings("restriction")
    public void close() {
        for (Object[] handler : previous) {
            try {
                sun.misc.Signal.handle((sun.misc.Signal) handler[0], (sun.misc.SignalHandler) handler[1]);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // leave it
            }
        }
    }
}
