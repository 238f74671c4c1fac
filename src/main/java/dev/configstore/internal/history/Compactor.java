package dev.configstore.internal.history;

import static dev.configstore.internal.jooq.Tables.CS_COMPACTION;
import static dev.configstore.internal.jooq.Tables.CS_DOCUMENT_VERSION;
import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import dev.configstore.history.CompactionProgress;
import dev.configstore.history.CompactionResult;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.RevisionWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.BiFunction;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Deletes history below a floor revision. What stays readable: every revision from the floor
 * to the head, and every revision a restore point pins. A row stays if its interval of
 * revisions holds one of those; a document version row stays if it is the latest one at one of
 * those; revision rows stay for the floor and above and for the pinned ones.
 *
 * <p>The value and version rows go in ascending batches of revisions, all in one transaction, so
 * progress can be told on the way. Ascending order keeps each batch's conditions the same as
 * one statement's: a row's fate depends only on rows of later revisions, which are still there.
 */
final class Compactor {

    /** How long H2 may spend moving chunks to shrink its file after the deletes. */
    private static final int RECLAIM_MILLIS = 3_000;

    /** Batches per compaction at most: progress in steps of about 2%, few statements. */
    private static final long BATCHES = 50;

    /** Revisions per batch at least, so a short sweep stays a few statements. */
    private static final long MIN_BATCH = 200;

    private Compactor() {
    }

    /**
     * Compacts below the floor {@code floorOf} picks from the head (a floor at or below the
     * current one does nothing), then returns the freed space to the file system.
     */
    static CompactionResult compact(RevisionWriter writer, BiFunction<DSLContext, Long, Long> floorOf,
                                    CompactionProgress progress) {
        java.util.Objects.requireNonNull(progress, "progress");
        StoreDatabase database = writer.database();
        long start = System.nanoTime();
        long bytesBefore = database.sizeOnDisk();
        long[] outcome = writer.loggedWrite("compact", null, context -> {
            StoreRows.lockMaintenance(context);
            long head = StoreRows.head(context);
            long floor = Math.min(head, floorOf.apply(context, head));
            long oldFloor = StoreRows.historyFloor(context);
            if (floor <= oldFloor) {
                return new long[] {oldFloor, 0, 0};
            }
            long revisionsBefore = context.fetchCount(CS_REVISION);
            // the floor's chain hash becomes the anchor the chain is checked from
            String floorHash = java.util.Objects.requireNonNullElse(
                    dev.configstore.internal.rows.ChainRows.hashOf(context, floor),
                    dev.configstore.internal.document.RevisionDigest.GENESIS);
            long rows = deleteBelow(context, oldFloor, floor, progress);
            long revisionsRemoved = revisionsBefore - context.fetchCount(CS_REVISION);
            context.insertInto(CS_COMPACTION)
                    .set(CS_COMPACTION.FLOOR_REVISION, floor)
                    .set(CS_COMPACTION.COMPACTED_AT, StoreRows.utc(writer.settings().clock().instant()))
                    .set(CS_COMPACTION.ACTOR, writer.settings().actor())
                    .set(CS_COMPACTION.ROWS_DELETED, rows)
                    .set(CS_COMPACTION.FLOOR_CHAIN_HASH, floorHash)
                    .execute();
            return new long[] {floor, revisionsRemoved, rows};
        });
        boolean full = false;
        if (outcome[2] > 0) {
            try {
                full = database.reclaimSpace(RECLAIM_MILLIS);
            } catch (RuntimeException e) {
                // the rows are gone and committed; only the file did not shrink, which the sizes show
            }
        }
        List<Long> pinned = database.read(context -> context.selectDistinct(CS_RESTORE_POINT.REVISION)
                .from(CS_RESTORE_POINT).where(CS_RESTORE_POINT.REVISION.lt(outcome[0]))
                .orderBy(CS_RESTORE_POINT.REVISION).fetch(CS_RESTORE_POINT.REVISION));
        return new CompactionResult(outcome[0], pinned, outcome[1], outcome[2], bytesBefore, database.sizeOnDisk(),
                full, Duration.ofNanos(System.nanoTime() - start));
    }

    private static long deleteBelow(DSLContext context, long oldFloor, long floor, CompactionProgress progress) {
        long span = floor - oldFloor;
        long batch = Math.max(MIN_BATCH, (span + BATCHES - 1) / BATCHES);
        // the first batch also takes what an earlier compaction had to keep for a restore point
        // deleted since: everything below the old floor
        long rows = deleteRows(context, Long.MIN_VALUE, Math.min(floor, oldFloor + batch), floor);
        for (long low = oldFloor + batch; low < floor; low += batch) {
            progress.revisionsSwept(low - oldFloor, span);
            rows += deleteRows(context, low, Math.min(floor, low + batch), floor);
        }
        progress.revisionsSwept(span, span);
        var pin = CS_RESTORE_POINT;
        OffsetDateTime floorTime = context.select(CS_REVISION.COMMITTED_AT).from(CS_REVISION)
                .where(CS_REVISION.REVISION.eq(floor)).fetchOne(CS_REVISION.COMMITTED_AT);
        var pinned = DSL.select(pin.REVISION).from(pin);
        rows += context.deleteFrom(CS_OPERATION)
                .where(CS_OPERATION.REVISION.lt(floor).and(CS_OPERATION.REVISION.notIn(pinned)))
                .or(CS_OPERATION.REVISION.isNull().and(floorTime == null ? DSL.falseCondition()
                        : CS_OPERATION.STARTED_AT.lt(floorTime)))
                .execute();
        rows += context.deleteFrom(CS_REVISION)
                .where(CS_REVISION.REVISION.lt(floor)).and(CS_REVISION.REVISION.notIn(pinned))
                .execute();
        return rows;
    }

    /**
     * Deletes the value rows that end in {@code (low, high]} and the version rows of revisions in
     * {@code [low, high)}, where nothing kept needs them ({@code high} at most the new floor).
     */
    private static long deleteRows(DSLContext context, long low, long high, long floor) {
        var pin = CS_RESTORE_POINT;
        long rows = context.deleteFrom(CS_ENTRY)
                .where(CS_ENTRY.VALID_TO.gt(low)).and(CS_ENTRY.VALID_TO.le(high))
                .andNotExists(DSL.selectOne().from(pin)
                        .where(pin.REVISION.ge(CS_ENTRY.VALID_FROM)).and(pin.REVISION.lt(CS_ENTRY.VALID_TO)))
                .execute();
        // a version row is needed while it is the latest of its document at a kept revision
        var version = CS_DOCUMENT_VERSION;
        var later = CS_DOCUMENT_VERSION.as("later");
        var laterAtPin = CS_DOCUMENT_VERSION.as("later_at_pin");
        rows += context.deleteFrom(version)
                .where(version.REVISION.ge(low)).and(version.REVISION.lt(high))
                .andExists(DSL.selectOne().from(later)
                        .where(later.DOCUMENT.eq(version.DOCUMENT))
                        .and(later.REVISION.gt(version.REVISION)).and(later.REVISION.le(floor)))
                .andNotExists(DSL.selectOne().from(pin)
                        .where(pin.REVISION.ge(version.REVISION))
                        .andNotExists(DSL.selectOne().from(laterAtPin)
                                .where(laterAtPin.DOCUMENT.eq(version.DOCUMENT))
                                .and(laterAtPin.REVISION.gt(version.REVISION))
                                .and(laterAtPin.REVISION.le(pin.REVISION))))
                .execute();
        return rows;
    }
}
