package dev.configstore.internal.history;

import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import dev.configstore.history.HistoryQuery;
import dev.configstore.history.OperationEntry;
import dev.configstore.internal.rows.StoreRows;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The operation log as the {@code operations} view shows it: the rows of {@code cs_operation}
 * (failures, and operations without a revision) and the successful writes kept in their revision
 * rows since schema version 6. The newest entries are read from each table along its key, at most
 * {@code limit} from each, and merged by id, so a long history costs no sort of the whole log.
 */
public final class OperationLog {

    private OperationLog() {
    }

    /** The newest entries that match the query's time range, actor and operation, newest first. */
    public static List<OperationEntry> newest(DSLContext context, HistoryQuery query, int limit) {
        List<OperationEntry> entries = new ArrayList<>();
        context.selectFrom(CS_OPERATION)
                .where(filter(query, CS_OPERATION.STARTED_AT, CS_OPERATION.ACTOR, CS_OPERATION.OPERATION))
                .orderBy(CS_OPERATION.ID.desc()).limit(limit)
                .forEach(row -> entries.add(new OperationEntry(row.getId(), row.getOperation(),
                        Optional.ofNullable(row.getDocument()), row.getRevision() == null ? OptionalLong.empty()
                        : OptionalLong.of(row.getRevision()), row.getActor(), row.getStartedAt().toInstant(),
                        Duration.ofNanos(row.getDurationUs() * 1000), row.getOutcome(),
                        Optional.ofNullable(row.getError()))));
        // writes take their operation ids in revision order, so the revision key reads them newest first
        context.select(CS_REVISION.OPERATION_ID, CS_REVISION.OPERATION, CS_REVISION.OPERATION_DOCUMENT,
                        CS_REVISION.REVISION, CS_REVISION.ACTOR, CS_REVISION.STARTED_AT, CS_REVISION.DURATION_US)
                .from(CS_REVISION)
                .where(CS_REVISION.OPERATION_ID.isNotNull())
                .and(filter(query, CS_REVISION.STARTED_AT, CS_REVISION.ACTOR, CS_REVISION.OPERATION))
                .orderBy(CS_REVISION.REVISION.desc()).limit(limit)
                .forEach(row -> entries.add(new OperationEntry(row.value1(), row.value2(),
                        Optional.ofNullable(row.value3()), OptionalLong.of(row.value4()), row.value5(),
                        row.value6().toInstant(), Duration.ofNanos(row.value7() * 1000), "OK", Optional.empty())));
        entries.sort(Comparator.comparingLong(OperationEntry::id).reversed());
        return entries.size() > limit ? List.copyOf(entries.subList(0, limit)) : entries;
    }

    /** The query's time range, actor and operation as a condition on a table's columns. */
    static Condition filter(HistoryQuery query, Field<OffsetDateTime> time, Field<String> actor,
                            Field<String> operation) {
        Condition where = DSL.trueCondition();
        if (query.since().isPresent()) {
            where = where.and(time.ge(StoreRows.utc(query.since().get())));
        }
        if (query.until().isPresent()) {
            where = where.and(time.le(StoreRows.utc(query.until().get())));
        }
        if (query.actor().isPresent()) {
            where = where.and(actor.eq(query.actor().get()));
        }
        if (query.operation().isPresent()) {
            where = where.and(operation.eq(query.operation().get()));
        }
        return where;
    }
}
