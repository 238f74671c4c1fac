package dev.configstore.internal.rows;

import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.backup.RestorePoint;
import dev.configstore.internal.db.StoreSettings;
import dev.configstore.internal.jooq.tables.records.CsRestorePointRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of restore points. */
public final class RestorePointRows {

    /** Names starting with this are made by the store itself. */
    public static final String AUTOMATIC_PREFIX = "auto-";

    private RestorePointRows() {
    }

    public static List<RestorePoint> list(DSLContext context) {
        return context.selectFrom(CS_RESTORE_POINT).orderBy(CS_RESTORE_POINT.ID).fetch(RestorePointRows::restorePoint);
    }

    public static Optional<RestorePoint> find(DSLContext context, String name) {
        return context.selectFrom(CS_RESTORE_POINT).where(CS_RESTORE_POINT.NAME.eq(name))
                .fetchOptional(RestorePointRows::restorePoint);
    }

    public static RestorePoint require(DSLContext context, String name) {
        return find(context, name).orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND,
                "there is no restore point named '" + name + "'"));
    }

    public static void insert(DSLContext context, String name, String document, long revision, String note, int priority,
                       boolean automatic, Instant createdAt, String actor) {
        if (find(context, name).isPresent()) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "a restore point named '" + name
                    + "' already exists; pick another name or delete it first");
        }
        try {
            context.insertInto(CS_RESTORE_POINT)
                    .set(CS_RESTORE_POINT.NAME, name)
                    .set(CS_RESTORE_POINT.DOCUMENT, document)
                    .set(CS_RESTORE_POINT.REVISION, revision)
                    .set(CS_RESTORE_POINT.NOTE, note == null || note.isEmpty() ? null : note)
                    .set(CS_RESTORE_POINT.PRIORITY, priority)
                    .set(CS_RESTORE_POINT.AUTOMATIC, automatic)
                    .set(CS_RESTORE_POINT.CREATED_AT, StoreRows.utc(createdAt))
                    .set(CS_RESTORE_POINT.ACTOR, actor)
                    .execute();
        } catch (org.jooq.exception.IntegrityConstraintViolationException taken) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "a restore point named '" + name
                    + "' was just created by someone else; pick another name", taken);
        }
    }

    /**
     * Pins the state before a destructive write, in its transaction, and trims the automatic
     * restore points to the builder's count, oldest first.
     */
    public static void insertAutomatic(DSLContext context, long revision, String document, String operation,
                                StoreSettings settings) {
        String name = AUTOMATIC_PREFIX + revision + "-" + operation;
        String note = "before " + operation + (document == null ? "" : " of '" + document + "'");
        insert(context, name.length() > 64 ? name.substring(0, 64) : name, document, revision, note, 0, true,
                settings.clock().instant(), settings.actor());
        List<Long> automatic = context.select(CS_RESTORE_POINT.ID).from(CS_RESTORE_POINT)
                .where(CS_RESTORE_POINT.AUTOMATIC.isTrue())
                .orderBy(CS_RESTORE_POINT.ID.desc())
                .fetch(CS_RESTORE_POINT.ID);
        if (automatic.size() > settings.automaticRestorePoints()) {
            context.deleteFrom(CS_RESTORE_POINT)
                    .where(CS_RESTORE_POINT.ID.in(automatic.subList(settings.automaticRestorePoints(), automatic.size())))
                    .execute();
        }
    }

    public static int delete(DSLContext context, List<String> names) {
        return context.deleteFrom(CS_RESTORE_POINT).where(CS_RESTORE_POINT.NAME.in(names)).execute();
    }

    private static RestorePoint restorePoint(CsRestorePointRecord row) {
        return new RestorePoint(row.getName(), Optional.ofNullable(row.getDocument()), row.getRevision(),
                Optional.ofNullable(row.getNote()), row.getPriority(), row.getAutomatic(),
                row.getCreatedAt().toInstant(), row.getActor());
    }
}
