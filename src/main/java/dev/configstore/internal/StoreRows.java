package dev.configstore.internal;

import static dev.configstore.internal.jooq.Tables.CS_COMPACTION;
import static dev.configstore.internal.jooq.Tables.CS_DOCUMENT_VERSION;
import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_MAINTENANCE_LOCK;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.internal.HeadCache.DocumentDelta;
import dev.configstore.internal.HeadCache.Leaf;
import dev.configstore.internal.WritePlan.DocumentWrite;
import dev.configstore.internal.WritePlan.LeafWrite;
import dev.configstore.internal.db.TransientWriteException;
import dev.configstore.internal.jooq.tables.records.CsDocumentVersionRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The SQL of the versioned rows. An entry row holds one leaf over the revisions
 * [valid_from, valid_to); the live row has valid_to = {@link #LIVE}. A write closes the rows it
 * supersedes by primary key and inserts the new ones, so its cost follows the change.
 */
final class StoreRows {

    static final long LIVE = Long.MAX_VALUE;

    private StoreRows() {
    }

    /**
     * Takes the next revision number by inserting its row. The primary key is the lock: a
     * concurrent writer that computed the same number blocks on the key until this transaction
     * ends and then fails with a duplicate key, which is retried as a transient error. So
     * revisions commit in order and without gaps, and readers that catch up with "revision >
     * last seen" never miss one. (A one-row counter updated in place was tried first; on H2 a
     * rolled-back writer was seen to undo a committed increment.)
     */
    static long nextRevision(DSLContext context, Instant committedAt, String actor, String message, String operation) {
        long next = head(context) + 1;
        try {
            context.insertInto(CS_REVISION)
                    .set(CS_REVISION.REVISION, next)
                    .set(CS_REVISION.COMMITTED_AT, utc(committedAt))
                    .set(CS_REVISION.ACTOR, actor)
                    .set(CS_REVISION.MESSAGE, message)
                    .set(CS_REVISION.OPERATION, operation)
                    .execute();
        } catch (org.jooq.exception.IntegrityConstraintViolationException taken) {
            throw new TransientWriteException("revision " + next + " was taken by a concurrent writer", taken);
        }
        return next;
    }

    /** The newest committed revision, 0 for an empty store. */
    static long head(DSLContext context) {
        Long head = context.select(DSL.max(CS_REVISION.REVISION)).from(CS_REVISION).fetchSingle().value1();
        return head == null ? 0 : head;
    }

    /** The history floor: revisions below it were compacted unless a restore point pins them. */
    static long historyFloor(DSLContext context) {
        Long floor = context.select(DSL.max(CS_COMPACTION.FLOOR_REVISION)).from(CS_COMPACTION).fetchSingle().value1();
        return floor == null ? 0 : floor;
    }

    /**
     * Takes the maintenance lock until the transaction ends: compaction and the creation of
     * restore points hold it, so neither works from a state the other is changing.
     */
    static void lockMaintenance(DSLContext context) {
        context.selectFrom(CS_MAINTENANCE_LOCK).where(CS_MAINTENANCE_LOCK.ID.eq(1)).forUpdate().fetch();
    }

    static boolean isPinned(DSLContext context, long revision) {
        return context.fetchExists(CS_RESTORE_POINT, CS_RESTORE_POINT.REVISION.eq(revision));
    }

    static void writeDocuments(DSLContext context, long revision, List<DocumentWrite> writes) {
        List<Query> queries = new ArrayList<>();
        for (DocumentWrite write : writes) {
            for (LeafWrite leaf : write.leaves()) {
                if (leaf.oldLeaf() != null) {
                    queries.add(context.update(CS_ENTRY).set(CS_ENTRY.VALID_TO, revision)
                            .where(CS_ENTRY.DOCUMENT.eq(write.document()))
                            .and(CS_ENTRY.KEY_PATH.eq(leaf.path()))
                            .and(CS_ENTRY.VALID_FROM.eq(leaf.oldLeaf().since())));
                }
            }
        }
        for (DocumentWrite write : writes) {
            for (LeafWrite leaf : write.leaves()) {
                if (leaf.newValue() != null) {
                    queries.add(context.insertInto(CS_ENTRY,
                                    CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALID_TO,
                                    CS_ENTRY.VALUE_JSON)
                            .values(write.document(), leaf.path(), revision, LIVE, leaf.newJson()));
                }
            }
            DocumentMeta meta = write.meta();
            queries.add(context.insertInto(CS_DOCUMENT_VERSION,
                            CS_DOCUMENT_VERSION.DOCUMENT, CS_DOCUMENT_VERSION.REVISION, CS_DOCUMENT_VERSION.DELETED,
                            CS_DOCUMENT_VERSION.KEY_COUNT, CS_DOCUMENT_VERSION.CHECKSUM, CS_DOCUMENT_VERSION.PARENT,
                            CS_DOCUMENT_VERSION.DESCRIPTION, CS_DOCUMENT_VERSION.TAGS)
                    .values(write.document(), revision, !write.exists(), write.keyCount(), write.checksum(),
                            meta.parent(), meta.description().isEmpty() ? null : meta.description(),
                            meta.tagsJson()));
        }
        if (queries.size() <= 4) {
            for (Query query : queries) {
                query.execute();
            }
        } else {
            context.batch(queries).execute();
        }
    }

    static void insertOperation(DSLContext context, String operation, String document, Long revision, String actor,
                                Instant startedAt, long durationMicros, String outcome, String error) {
        context.insertInto(CS_OPERATION)
                .set(CS_OPERATION.OPERATION, operation)
                .set(CS_OPERATION.DOCUMENT, document)
                .set(CS_OPERATION.REVISION, revision)
                .set(CS_OPERATION.ACTOR, actor)
                .set(CS_OPERATION.STARTED_AT, utc(startedAt))
                .set(CS_OPERATION.DURATION_US, durationMicros)
                .set(CS_OPERATION.OUTCOME, outcome)
                .set(CS_OPERATION.ERROR, error == null ? null : truncate(error, 2000))
                .execute();
    }

    /** Every document exactly as it was at {@code revision}, as deltas onto an empty cache. */
    static List<DocumentDelta> stateAt(DSLContext context, long revision) {
        Map<String, CsDocumentVersionRecord> versions = latestVersions(context, revision, null);
        Map<String, Map<String, Leaf>> leaves = new HashMap<>();
        context.select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALUE_JSON)
                .from(CS_ENTRY)
                .where(CS_ENTRY.VALID_TO.gt(revision)).and(CS_ENTRY.VALID_FROM.le(revision))
                .fetch()
                .forEach(row -> leaves.computeIfAbsent(row.value1(), name -> new LinkedHashMap<>())
                        .put(row.value2(), leaf(row.value4(), row.value3(), row.value1(), row.value2())));
        List<DocumentDelta> deltas = new ArrayList<>();
        for (CsDocumentVersionRecord version : versions.values()) {
            deltas.add(new DocumentDelta(version.getDocument(), !version.getDeleted(), version.getRevision(),
                    version.getChecksum(), meta(version), List.of(),
                    leaves.getOrDefault(version.getDocument(), Map.of())));
        }
        return deltas;
    }

    /** What the revisions in (from, to] did, as deltas onto a cache that is exact at {@code from}. */
    static List<DocumentDelta> changesBetween(DSLContext context, long from, long to) {
        Map<String, List<String>> removed = new HashMap<>();
        context.select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH)
                .from(CS_ENTRY)
                .where(CS_ENTRY.VALID_TO.gt(from)).and(CS_ENTRY.VALID_TO.le(to)).and(CS_ENTRY.VALID_FROM.le(from))
                .fetch()
                .forEach(row -> removed.computeIfAbsent(row.value1(), name -> new ArrayList<>()).add(row.value2()));
        Map<String, Map<String, Leaf>> added = new HashMap<>();
        context.select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALUE_JSON)
                .from(CS_ENTRY)
                .where(CS_ENTRY.VALID_FROM.gt(from)).and(CS_ENTRY.VALID_FROM.le(to)).and(CS_ENTRY.VALID_TO.gt(to))
                .fetch()
                .forEach(row -> added.computeIfAbsent(row.value1(), name -> new LinkedHashMap<>())
                        .put(row.value2(), leaf(row.value4(), row.value3(), row.value1(), row.value2())));
        Map<String, CsDocumentVersionRecord> versions = new HashMap<>();
        context.selectFrom(CS_DOCUMENT_VERSION)
                .where(CS_DOCUMENT_VERSION.REVISION.gt(from)).and(CS_DOCUMENT_VERSION.REVISION.le(to))
                .orderBy(CS_DOCUMENT_VERSION.REVISION)
                .fetch()
                .forEach(version -> versions.put(version.getDocument(), version));
        List<DocumentDelta> deltas = new ArrayList<>();
        for (CsDocumentVersionRecord version : versions.values()) {
            String document = version.getDocument();
            deltas.add(new DocumentDelta(document, !version.getDeleted(), version.getRevision(), version.getChecksum(),
                    meta(version), removed.getOrDefault(document, List.of()), added.getOrDefault(document, Map.of())));
        }
        return deltas;
    }

    /**
     * The latest version row at or before {@code revision} of every document (or one). One
     * document: the newest row by the primary key, an index lookup. Every document: one grouped
     * pass over the version rows joined back to them, linear in their number (a correlated
     * "max per document" subquery was quadratic in a document's history).
     */
    static Map<String, CsDocumentVersionRecord> latestVersions(DSLContext context, long revision, String document) {
        Map<String, CsDocumentVersionRecord> versions = new TreeMap<>();
        if (document != null) {
            context.selectFrom(CS_DOCUMENT_VERSION)
                    .where(CS_DOCUMENT_VERSION.DOCUMENT.eq(document)).and(CS_DOCUMENT_VERSION.REVISION.le(revision))
                    .orderBy(CS_DOCUMENT_VERSION.REVISION.desc()).limit(1)
                    .fetch().forEach(version -> versions.put(version.getDocument(), version));
            return versions;
        }
        var newest = DSL.select(CS_DOCUMENT_VERSION.DOCUMENT.as("newest_document"),
                        DSL.max(CS_DOCUMENT_VERSION.REVISION).as("newest_revision"))
                .from(CS_DOCUMENT_VERSION)
                .where(CS_DOCUMENT_VERSION.REVISION.le(revision))
                .groupBy(CS_DOCUMENT_VERSION.DOCUMENT)
                .asTable("newest");
        context.select(CS_DOCUMENT_VERSION.fields()).from(CS_DOCUMENT_VERSION)
                .join(newest).on(CS_DOCUMENT_VERSION.DOCUMENT.eq(newest.field("newest_document", String.class)))
                .and(CS_DOCUMENT_VERSION.REVISION.eq(newest.field("newest_revision", Long.class)))
                .fetchInto(CS_DOCUMENT_VERSION)
                .forEach(version -> versions.put(version.getDocument(), version));
        return versions;
    }

    /** The metadata a version row holds. */
    static DocumentMeta meta(CsDocumentVersionRecord version) {
        return DocumentMeta.fromColumns(version.getParent(), version.getDescription(), version.getTags());
    }

    /** One document as it was at a revision, with its metadata, or null if it did not exist then. */
    static Inheritance.Source sourceAt(DSLContext context, String document, long revision) {
        CsDocumentVersionRecord version = latestVersions(context, revision, document).get(document);
        if (version == null || version.getDeleted()) {
            return null;
        }
        TreeMap<String, Leaf> leaves = new TreeMap<>();
        for (Record row : context.select(CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALUE_JSON).from(CS_ENTRY)
                .where(CS_ENTRY.DOCUMENT.eq(document))
                .and(CS_ENTRY.VALID_TO.gt(revision)).and(CS_ENTRY.VALID_FROM.le(revision))
                .fetch()) {
            String path = row.get(CS_ENTRY.KEY_PATH);
            leaves.put(path, leaf(row.get(CS_ENTRY.VALUE_JSON), row.get(CS_ENTRY.VALID_FROM), document, path));
        }
        return new Inheritance.Source(document, version.getRevision(), meta(version), leaves);
    }

    /** The revision that last changed a document at or before {@code revision}. */
    static long lastChanged(DSLContext context, String document, long revision) {
        CsDocumentVersionRecord version = latestVersions(context, revision, document).get(document);
        return version == null ? 0 : version.getRevision();
    }

    private static Leaf leaf(String json, long since, String document, String path) {
        return new Leaf(Json.parse(json, "stored value of " + document + ":" + path), json, since);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
