package dev.configstore.internal.write;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.db.StoreSettings;
import dev.configstore.internal.rows.StoreRows;
import java.time.Duration;
import java.time.Instant;
import org.jooq.DSLContext;

/**
 * One operation as the operation log and the application's metrics hook see it: when it started,
 * how long it took, and one log row with its outcome. A successful operation writes its row in
 * the transaction that does its work; a failed one in a transaction of its own, after the work
 * has rolled back.
 */
public final class Operation {

    private final String name;
    private final String document;
    private final StoreSettings settings;
    private final Instant started;
    private final long startNanos;

    /** Starts the clock of an operation on {@code document} (null: not about one document). */
    Operation(String name, String document, StoreSettings settings) {
        this.name = name;
        this.document = document;
        this.settings = settings;
        this.started = settings.clock().instant();
        this.startNanos = System.nanoTime();
    }

    /** Writes the success row of an operation without a revision, in the transaction of the work. */
    public void logSuccess(DSLContext context) {
        StoreRows.insertOperation(context, name, document, settings.actor(), started, micros(), "OK", null);
    }

    /**
     * The revision row of a successful write, which carries its operation-log data (schema
     * version 6). Its duration runs until this call, before the revision's other rows are
     * written; {@link #settleDuration} corrects it when writing them took longer than 1 ms.
     */
    StoreRows.RevisionRow revisionRow(long revision, java.time.Instant committedAt, String message, long writeId,
                                      String chainHash, String chainMac) {
        return new StoreRows.RevisionRow(revision, committedAt, settings.actor(), message, name, writeId, chainHash,
                chainMac, document, started, micros());
    }

    /** Tells the metrics hook the operation succeeded. */
    public void succeeded() {
        record("OK");
    }

    /**
     * The failure the caller throws: a {@link ConfigStoreException} as it is, anything else as an
     * internal error naming the operation. It is counted and logged; a failure to log it is
     * attached to it, never thrown instead of it.
     */
    public ConfigStoreException failed(RuntimeException error, StoreDatabase database) {
        ConfigStoreException failure = error instanceof ConfigStoreException known ? known
                : new ConfigStoreException(ErrorCode.INTERNAL, name + " failed: " + error, error);
        if (error instanceof dev.configstore.UnconfirmedWriteException) {
            succeeded(); // committed with its operation-log row, only not confirmed by a standby
            return failure;
        }
        record(failure.code().name());
        if (dev.configstore.internal.db.SqlErrors.isUnreachable(error)) {
            return failure; // the log row could not be written either, after as long a wait again
        }
        try {
            database.write(context -> {
                StoreRows.insertOperation(context, name, document, settings.actor(), started, micros(),
                        failure.code().name(), failure.getMessage());
                return null;
            });
        } catch (RuntimeException logging) {
            failure.addSuppressed(logging);
        }
        return failure;
    }

    /**
     * Sets the duration of the revision row this write inserted to the time until now, when the
     * rows written since it was inserted took more than a millisecond (an import of many keys);
     * a short write keeps the duration it was inserted with and costs no second statement.
     */
    void settleDuration(DSLContext context, StoreRows.RevisionRow row) {
        long now = micros();
        if (now - row.durationMicros() > 1000) {
            StoreRows.setDuration(context, row.revision(), now);
        }
    }

    private long micros() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    /** What the hook throws is ignored: a metrics hook must not break the store. */
    /** Tells the metrics hook that the write runs again; see StoreMetrics#writeRetried. */
    void retried(boolean earlierCommitted) {
        try {
            settings.metrics().writeRetried(name, earlierCommitted);
        } catch (RuntimeException ignored) {
            // a metrics hook must not fail a write
        }
    }

    private void record(String outcome) {
        try {
            settings.metrics().operation(name, Duration.ofNanos(micros() * 1000), outcome);
        } catch (RuntimeException ignored) {
            // ignored, as said
        }
    }
}
