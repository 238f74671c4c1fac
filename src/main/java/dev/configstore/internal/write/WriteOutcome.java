package dev.configstore.internal.write;

/**
 * How a write attempt ends without committing a revision of its own, thrown out of the writer's
 * transaction so it rolls back: an earlier attempt had committed it, or it would change nothing.
 * No stack traces: they are control flow, caught in {@link RevisionWriter#run}.
 */
abstract class WriteOutcome extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriteOutcome() {
        super(null, null, false, false);
    }

    /** An earlier attempt of this write committed, as its write id shows. */
    static final class AlreadyCommitted extends WriteOutcome {
        private static final long serialVersionUID = 1L;
        final long revision;
        final int keys;

        AlreadyCommitted(long revision, int keys) {
            this.revision = revision;
            this.keys = keys;
        }
    }

    /** A write that would change nothing: it takes no revision number. */
    static final class NothingChanged extends WriteOutcome {
        private static final long serialVersionUID = 1L;
        final long head;

        NothingChanged(long head) {
            this.head = head;
        }
    }
}
