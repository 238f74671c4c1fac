package dev.configstore.internal.format;

import static dev.configstore.internal.jooq.Tables.CS_COMPACTION;
import static dev.configstore.internal.jooq.Tables.CS_DOCUMENT_VERSION;
import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.Change;
import dev.configstore.ConfigStoreException;
import dev.configstore.WriteResult;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ArchiveResult;
import dev.configstore.format.ImportException;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.Diff;
import dev.configstore.history.KeyChange;
import dev.configstore.internal.db.StoreDatabase;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance.Source;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.health.Verifier;
import dev.configstore.internal.history.JooqHistory;
import dev.configstore.internal.jooq.tables.records.CsDocumentVersionRecord;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.HeadCache;
import dev.configstore.internal.write.RevisionWriter.Edits;
import dev.configstore.internal.write.RevisionWriter.Write;
import dev.configstore.internal.write.RevisionWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.jooq.DSLContext;

/**
 * Whole-store archives. An archive holds the rows of the store (all of them with history;
 * otherwise the ones the head and the pinned revisions need, as a compaction to the head would
 * leave), so that restoring it into an empty store gives back the same revisions, checksums,
 * restore points and operation log on either backend; plus one readable JSON file per document
 * and its metadata, which is what a merge into a non-empty store uses.
 */
final class StoreArchives {

    private static final JsonNodeFactory NODES = Json.NODES;
    private static final String DOCUMENTS = "documents.json";
    private static final String RESTORE_POINTS = "restore-points.json";
    private static final String REVISIONS = "rows/revisions.jsonl";
    private static final String VERSIONS = "rows/document-versions.jsonl";
    private static final String ENTRIES = "rows/entries.jsonl";
    private static final String OPERATIONS = "rows/operations.jsonl";
    private static final String COMPACTIONS = "rows/compactions.jsonl";

    private final RevisionWriter writer;
    private final StoreDatabase database;
    private final JooqHistory history;
    private final StoreFormats formats;

    StoreArchives(RevisionWriter writer, JooqHistory history, StoreFormats formats) {
        this.writer = writer;
        this.database = writer.database();
        this.history = history;
        this.formats = formats;
    }

    // ---- export ----

    void export(ArchiveKind kind, OutputStream out, boolean withHistory) {
        Map<String, byte[]> members = new TreeMap<>();
        ObjectNode manifest = NODES.objectNode();
        writer.logged("export-archive", null, () -> database.read(context -> {
            collect(context, withHistory, members, manifest);
            return null;
        }));
        ArchiveCodec.write(kind, members, manifest, writer.settings().clock().instant(), out);
    }

    /** Reads every row up to the head, so commits made meanwhile do not mix in. */
    private void collect(DSLContext context, boolean withHistory, Map<String, byte[]> members, ObjectNode manifest) {
        StoreRows.lockMaintenance(context); // no compaction deletes rows while they are being read
        long head = StoreRows.head(context);
        long floor = StoreRows.historyFloor(context);
        List<Long> pins = context.selectDistinct(CS_RESTORE_POINT.REVISION).from(CS_RESTORE_POINT)
                .where(CS_RESTORE_POINT.REVISION.le(head)).fetch(CS_RESTORE_POINT.REVISION);
        TreeSet<Long> kept = new TreeSet<>(pins);
        kept.add(head);
        long newFloor = withHistory ? floor : head;

        Lines revisions = new Lines();
        context.selectFrom(CS_REVISION).where(CS_REVISION.REVISION.le(head)).orderBy(CS_REVISION.REVISION)
                .forEach(row -> {
                    if (withHistory || kept.contains(row.getRevision())) {
                        revisions.add(NODES.objectNode().put("revision", row.getRevision())
                                .put("committedAt", row.getCommittedAt().toString()).put("actor", row.getActor())
                                .put("message", row.getMessage()).put("operation", row.getOperation()));
                    }
                });
        Lines versions = new Lines();
        Map<String, List<CsDocumentVersionRecord>> byDocument = new TreeMap<>();
        context.selectFrom(CS_DOCUMENT_VERSION).where(CS_DOCUMENT_VERSION.REVISION.le(head))
                .orderBy(CS_DOCUMENT_VERSION.DOCUMENT, CS_DOCUMENT_VERSION.REVISION)
                .forEach(row -> byDocument.computeIfAbsent(row.getDocument(), name -> new ArrayList<>()).add(row));
        byDocument.forEach((document, rows) -> {
            for (int i = 0; i < rows.size(); i++) {
                CsDocumentVersionRecord row = rows.get(i);
                long next = i + 1 < rows.size() ? rows.get(i + 1).getRevision() : Long.MAX_VALUE;
                // without history: only the versions that are the latest at a kept revision
                if (withHistory || !kept.subSet(row.getRevision(), next).isEmpty()) {
                    versions.add(NODES.objectNode().put("document", row.getDocument()).put("revision", row.getRevision())
                            .put("deleted", row.getDeleted()).put("keyCount", row.getKeyCount())
                            .put("checksum", row.getChecksum()).put("parent", row.getParent())
                            .put("description", row.getDescription()).put("tags", row.getTags()));
                }
            }
        });
        Lines entries = new Lines();
        context.selectFrom(CS_ENTRY).where(CS_ENTRY.VALID_FROM.le(head))
                .orderBy(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM)
                .forEach(row -> {
                    long to = row.getValidTo() > head ? StoreRows.LIVE : row.getValidTo();
                    if (withHistory || !kept.subSet(row.getValidFrom(), to).isEmpty()) {
                        entries.add(NODES.objectNode().put("document", row.getDocument())
                                .put("keyPath", row.getKeyPath()).put("validFrom", row.getValidFrom())
                                .put("validTo", to).put("value", row.getValueJson()));
                    }
                });
        Lines operations = new Lines();
        if (withHistory) {
            context.selectFrom(CS_OPERATION).orderBy(CS_OPERATION.ID).forEach(row -> operations.add(NODES.objectNode()
                    .put("operation", row.getOperation()).put("document", row.getDocument())
                    .put("revision", row.getRevision()).put("actor", row.getActor())
                    .put("startedAt", row.getStartedAt().toString()).put("durationMicros", row.getDurationUs())
                    .put("outcome", row.getOutcome()).put("error", row.getError())));
        }
        Lines compactions = new Lines();
        if (withHistory) {
            context.selectFrom(CS_COMPACTION).orderBy(CS_COMPACTION.ID).forEach(row -> compactions.add(NODES.objectNode()
                    .put("floorRevision", row.getFloorRevision()).put("compactedAt", row.getCompactedAt().toString())
                    .put("actor", row.getActor()).put("rowsDeleted", row.getRowsDeleted())));
        } else if (newFloor > 0) {
            compactions.add(NODES.objectNode().put("floorRevision", newFloor)
                    .put("compactedAt", StoreRows.utc(writer.settings().clock().instant()).toString())
                    .put("actor", writer.settings().actor()).put("rowsDeleted", 0));
        }
        ArrayNode points = NODES.arrayNode();
        context.selectFrom(CS_RESTORE_POINT).where(CS_RESTORE_POINT.REVISION.le(head)).orderBy(CS_RESTORE_POINT.ID)
                .forEach(row -> points.addObject().put("name", row.getName()).put("document", row.getDocument())
                        .put("revision", row.getRevision()).put("note", row.getNote()).put("priority", row.getPriority())
                        .put("automatic", row.getAutomatic()).put("createdAt", row.getCreatedAt().toString())
                        .put("actor", row.getActor()));
        ArrayNode documents = NODES.arrayNode();
        for (StoreRows.VersionRow version : StoreRows.latestVersions(context, head, null).values()) {
            if (version.deleted()) {
                continue;
            }
            Source source = StoreRows.sourceAt(context, version.document(), head);
            List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>();
            source.leaves().forEach((path, leaf) -> leaves.add(Map.entry(path, leaf.value())));
            String file = "documents/" + version.document() + ".json";
            members.put(file, ArchiveCodec.json(Json.build(leaves)));
            DocumentMeta meta = source.meta();
            ObjectNode described = documents.addObject().put("name", version.document()).put("file", file)
                    .put("parent", meta.parent()).put("description", meta.description())
                    .put("lastChanged", version.revision());
            ArrayNode tags = described.putArray("tags");
            meta.tags().forEach(tags::add);
        }
        members.put(DOCUMENTS, ArchiveCodec.json(documents));
        members.put(RESTORE_POINTS, ArchiveCodec.json(points));
        members.put(REVISIONS, revisions.bytes());
        members.put(VERSIONS, versions.bytes());
        members.put(ENTRIES, entries.bytes());
        members.put(OPERATIONS, operations.bytes());
        members.put(COMPACTIONS, compactions.bytes());
        manifest.put("storeRevision", head).put("historyFloor", newFloor).put("withHistory", withHistory)
                .put("createdAt", writer.settings().clock().instant().toString())
                .put("documents", documents.size()).put("restorePoints", points.size());
    }

    /** JSON lines. */
    private static final class Lines {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void add(ObjectNode row) {
            byte[] line = Json.canonical(row).getBytes(StandardCharsets.UTF_8);
            out.write(line, 0, line.length);
            out.write('\n');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ---- import ----

    ArchiveResult importArchive(ArchiveKind kind, InputStream in, String source, boolean dryRun) {
        long total = formats.codecs().maxBytes() * 16;
        ArchiveCodec.Read read = ArchiveCodec.read(kind, in, source,
                new ArchiveCodec.Limits(10_000, total, total, 200));
        Contents contents = Contents.parse(read, source, formats.codecs());
        boolean empty = database.read(context -> StoreRows.head(context) == 0
                && context.fetchCount(CS_RESTORE_POINT) == 0);
        if (empty) {
            return restoreWhole(contents, source, dryRun);
        }
        return merge(contents, source, dryRun);
    }

    private ArchiveResult restoreWhole(Contents contents, String source, boolean dryRun) {
        List<String> notes = new ArrayList<>();
        if (dryRun) {
            notes.add("dry run: nothing written");
        }
        BiFunction<DSLContext, Void, Long> restore = (context, unused) -> {
            database.lockOutOtherWriters(context);
            if (StoreRows.head(context) != 0 || context.fetchCount(CS_RESTORE_POINT) != 0) {
                throw new ConfigStoreException(dev.configstore.ErrorCode.CONFLICT, "the store received writes while the"
                        + " archive was being read; import into an empty store again");
            }
            contents.insert(context);
            checkHead(context, source);
            VerifyResult check = Verifier.verify(context);
            if (!check.isClean()) {
                var first = check.mismatches().get(0);
                throw new ImportException(source, 0, 0, "the archive's rows do not match their checksums ("
                        + check.mismatches().size() + " mismatches; first: document '" + first.document()
                        + "' at revision " + first.revision() + ")");
            }
            if (dryRun) {
                throw new DryRun();
            }
            return StoreRows.head(context);
        };
        long head = 0;
        if (dryRun) {
            try {
                database.write(context -> restore.apply(context, null));
            } catch (DryRun checked) {
                // every check passed; the transaction rolled back
            }
        } else {
            head = writer.loggedWrite("import-archive", null, context -> restore.apply(context, null));
            writer.reloadHead();
        }
        return new ArchiveResult(true, head, contents.documents.size(), contents.restorePoints.size(),
                contents.revisions.size(), new Diff(head, head, List.of()), notes);
    }

    /**
     * Before the restore commits: every document at head must resolve (parents exist, no cycle,
     * readable metadata), so that the store opens afterwards.
     */
    private static void checkHead(DSLContext context, String source) {
        long head = StoreRows.head(context);
        try {
            for (String document : StoreRows.latestVersions(context, head, null).keySet()) {
                Inheritance.chain(document, name -> StoreRows.sourceAt(context, name, head));
            }
            StoreRows.stateAt(context, head);
        } catch (RuntimeException e) {
            throw new ImportException(source, 0, 0, "the archive's head cannot be read: " + SqlErrorsText.of(e));
        }
    }

    /** Rolls back a dry run after every check passed. */
    private static final class DryRun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DryRun() {
            super("dry run", null, false, false);
        }
    }

    private ArchiveResult merge(Contents contents, String source, boolean dryRun) {
        List<String> notes = new ArrayList<>();
        notes.add("merged the documents into a store that already has revisions; its history, operation log and "
                + contents.restorePoints.size() + " restore points were not imported (restore into an empty store"
                + " to keep them)");
        BiFunction<DSLContext, HeadCache, Edits> edits = (context, head) -> {
            List<Change> changes = new ArrayList<>();
            Map<String, DocumentMeta> metas = new HashMap<>();
            for (ArchivedDocument document : contents.documents.values()) {
                List<Source> chain = head.chain(document.name);
                ObjectNode merged = Inheritance.merge(document.content, chain.isEmpty() ? null : chain.get(0));
                changes.add(new Change.Replace(document.name, merged));
                metas.put(document.name, document.meta);
            }
            return new Edits(changes, metas);
        };
        if (dryRun) {
            List<KeyChange> changes = writer.preview(-1, edits);
            long head = writer.head().revision();
            notes.add("dry run: nothing written");
            return new ArchiveResult(false, head, contents.documents.size(), 0, 0, new Diff(head, head, changes), notes);
        }
        WriteResult write = writer.run(new Write("import-archive", null, "import archive " + source, -1, null), edits);
        Diff diff = write.changed() ? history.diff(write.revision() - 1, write.revision())
                : new Diff(write.revision(), write.revision(), List.of());
        return new ArchiveResult(false, write.revision(), contents.documents.size(), 0, 0, diff, notes);
    }

    private record ArchivedDocument(String name, DocumentMeta meta, Source content) {
    }

    /** The parsed, validated members of an archive. */
    private static final class Contents {
        final Map<String, ArchivedDocument> documents = new TreeMap<>();
        final List<JsonNode> restorePoints = new ArrayList<>();
        final List<JsonNode> revisions = new ArrayList<>();
        final List<JsonNode> versions = new ArrayList<>();
        final List<JsonNode> entries = new ArrayList<>();
        final List<JsonNode> operations = new ArrayList<>();
        final List<JsonNode> compactions = new ArrayList<>();

        static Contents parse(ArchiveCodec.Read read, String source,
                              dev.configstore.internal.format.TextFormats codecs) {
            Contents contents = new Contents();
            Map<String, byte[]> members = read.members();
            for (String required : List.of(DOCUMENTS, RESTORE_POINTS, REVISIONS, VERSIONS, ENTRIES, OPERATIONS,
                    COMPACTIONS)) {
                if (!members.containsKey(required)) {
                    throw new ImportException(source, 0, 0, "the archive has no member '" + required + "'");
                }
            }
            Set<String> files = new TreeSet<>();
            for (JsonNode document : array(members, DOCUMENTS, source)) {
                String member = source + "!" + DOCUMENTS;
                String name = text(document, "name", member);
                try {
                    DocumentNames.check(name);
                } catch (ConfigStoreException e) {
                    throw new ImportException(member, 0, 0, e.getMessage());
                }
                String file = "documents/" + name + ".json";
                byte[] bytes = members.get(file);
                if (bytes == null) {
                    throw new ImportException(source, 0, 0, "member '" + file + "' is missing");
                }
                files.add(file);
                JsonNode tree = codecs.read(dev.configstore.format.Format.JSON, bytes, source + "!" + file);
                List<String> tags = new ArrayList<>();
                document.path("tags").forEach(tag -> tags.add(tag.asText()));
                String parent = document.path("parent").isTextual() ? document.path("parent").asText() : null;
                DocumentMeta meta;
                try {
                    meta = DocumentMeta.of(parent == null ? null : DocumentNames.check(parent),
                            document.path("description").asText(""), tags);
                } catch (ConfigStoreException e) {
                    throw new ImportException(member, 0, 0, "document '" + name + "': " + e.getMessage());
                }
                contents.documents.put(name, new ArchivedDocument(name, meta,
                        StoreFormats.validated((ObjectNode) tree, source + "!" + file)));
            }
            for (String member : members.keySet()) {
                if (member.startsWith("documents/") && !files.contains(member)) {
                    throw new ImportException(source + "!" + member, 0, 0, "a document file that "
                            + DOCUMENTS + " does not list");
                }
            }
            array(members, RESTORE_POINTS, source).forEach(contents.restorePoints::add);
            contents.revisions.addAll(lines(members, REVISIONS, source));
            contents.versions.addAll(lines(members, VERSIONS, source));
            contents.entries.addAll(lines(members, ENTRIES, source));
            contents.operations.addAll(lines(members, OPERATIONS, source));
            contents.compactions.addAll(lines(members, COMPACTIONS, source));
            contents.validate(read.manifest().path("storeRevision").asLong(-1), source);
            return contents;
        }

        /**
         * The structure verify cannot see: everything at or below the archive's head revision,
         * entry intervals well-formed and not overlapping per key, no value and keys below it live
         * at once, readable metadata, restore points and floors within the history.
         */
        void validate(long head, String source) {
            if (head < 0) {
                throw new ImportException(source + "!" + ArchiveCodec.MANIFEST, 0, 0, "storeRevision is missing");
            }
            long maxRevision = 0;
            for (JsonNode row : revisions) {
                maxRevision = Math.max(maxRevision, row.path("revision").asLong(-1));
                requireRange(row.path("revision").asLong(-1), 1, head, REVISIONS, source);
            }
            if (maxRevision != head) {
                throw new ImportException(source + "!" + REVISIONS, 0, 0, "the newest revision is " + maxRevision
                        + ", the manifest says " + head);
            }
            for (JsonNode row : versions) {
                requireRange(row.path("revision").asLong(-1), 1, head, VERSIONS, source);
                try {
                    DocumentNames.check(row.path("document").asText());
                    String parent = nullable(row, "parent");
                    DocumentMeta meta = DocumentMeta.fromColumns(parent == null ? null : DocumentNames.check(parent),
                            nullable(row, "description"), nullable(row, "tags"));
                    DocumentMeta.of(meta.parent(), meta.description(), meta.tags());
                } catch (RuntimeException e) {
                    throw new ImportException(source + "!" + VERSIONS, 0, 0, "a row has bad metadata: "
                            + SqlErrorsText.of(e));
                }
            }
            Map<String, List<long[]>> intervals = new TreeMap<>();
            Map<String, TreeSet<String>> live = new TreeMap<>();
            for (JsonNode row : entries) {
                long from = row.path("validFrom").asLong(-1);
                long to = row.path("validTo").asLong(-1);
                requireRange(from, 1, head, ENTRIES, source);
                if (to <= from || (to > head && to != StoreRows.LIVE)) {
                    throw new ImportException(source + "!" + ENTRIES, 0, 0, "a row is valid from " + from + " to "
                            + to + ", which is not an interval within revisions 1.." + head);
                }
                String document = row.path("document").asText();
                String key = row.path("keyPath").asText();
                intervals.computeIfAbsent(document + "\u0000" + key, k -> new ArrayList<>()).add(new long[] {from, to});
                if (to == StoreRows.LIVE) {
                    live.computeIfAbsent(document, k -> new TreeSet<>()).add(key);
                }
            }
            intervals.forEach((key, spans) -> {
                spans.sort((a, b) -> Long.compare(a[0], b[0]));
                for (int i = 1; i < spans.size(); i++) {
                    if (spans.get(i)[0] < spans.get(i - 1)[1]) {
                        throw new ImportException(source + "!" + ENTRIES, 0, 0, "two rows of key '"
                                + key.replace('\u0000', ':') + "' overlap");
                    }
                }
            });
            live.forEach((document, keys) -> {
                for (String key : keys) {
                    String below = keys.ceiling(key + ".");
                    if (below != null && below.startsWith(key + ".")) {
                        throw new ImportException(source + "!" + ENTRIES, 0, 0, "document '" + document + "' has a"
                                + " value at '" + key + "' and keys below it ('" + below + "')");
                    }
                }
            });
            for (JsonNode row : restorePoints) {
                requireRange(row.path("revision").asLong(-1), 0, head, RESTORE_POINTS, source);
                String document = nullable(row, "document");
                try {
                    if (document != null) {
                        DocumentNames.check(document);
                    }
                    DocumentNames.check(row.path("name").asText(), "restore point name");
                } catch (ConfigStoreException e) {
                    throw new ImportException(source + "!" + RESTORE_POINTS, 0, 0, e.getMessage());
                }
            }
            for (JsonNode row : compactions) {
                requireRange(row.path("floorRevision").asLong(-1), 0, head, COMPACTIONS, source);
            }
        }

        private static void requireRange(long revision, long low, long high, String member, String source) {
            if (revision < low || revision > high) {
                throw new ImportException(source + "!" + member, 0, 0, "revision " + revision + " is outside "
                        + low + ".." + high);
            }
        }

        /** Inserts every row, in the order that keeps identities ordered as in the source store. */
        void insert(DSLContext context) {
            String where = "rows";
            try {
                revisions.sort(java.util.Comparator.comparingLong(row -> row.path("revision").asLong()));
                for (JsonNode row : revisions) {
                    where = REVISIONS;
                    context.insertInto(CS_REVISION)
                            .set(CS_REVISION.REVISION, row.get("revision").asLong())
                            .set(CS_REVISION.COMMITTED_AT, OffsetDateTime.parse(row.get("committedAt").asText()))
                            .set(CS_REVISION.ACTOR, row.get("actor").asText())
                            .set(CS_REVISION.MESSAGE, nullable(row, "message"))
                            .set(CS_REVISION.OPERATION, row.get("operation").asText())
                            .execute();
                }
                where = VERSIONS;
                batch(context, versions, row -> context.insertInto(CS_DOCUMENT_VERSION)
                        .set(CS_DOCUMENT_VERSION.DOCUMENT, DocumentNames.check(row.get("document").asText()))
                        .set(CS_DOCUMENT_VERSION.REVISION, row.get("revision").asLong())
                        .set(CS_DOCUMENT_VERSION.DELETED, row.get("deleted").asBoolean())
                        .set(CS_DOCUMENT_VERSION.KEY_COUNT, row.get("keyCount").asInt())
                        .set(CS_DOCUMENT_VERSION.CHECKSUM, row.get("checksum").asText())
                        .set(CS_DOCUMENT_VERSION.PARENT, nullable(row, "parent"))
                        .set(CS_DOCUMENT_VERSION.DESCRIPTION, nullable(row, "description"))
                        .set(CS_DOCUMENT_VERSION.TAGS, nullable(row, "tags")));
                where = ENTRIES;
                batch(context, entries, row -> context.insertInto(CS_ENTRY)
                        .set(CS_ENTRY.DOCUMENT, DocumentNames.check(row.get("document").asText()))
                        .set(CS_ENTRY.KEY_PATH, KeyPaths.canonical(row.get("keyPath").asText()))
                        .set(CS_ENTRY.VALID_FROM, row.get("validFrom").asLong())
                        .set(CS_ENTRY.VALID_TO, row.get("validTo").asLong())
                        .set(CS_ENTRY.VALUE_JSON, row.get("value").asText()));
                where = OPERATIONS;
                batch(context, operations, row -> context.insertInto(CS_OPERATION)
                        .set(CS_OPERATION.OPERATION, row.get("operation").asText())
                        .set(CS_OPERATION.DOCUMENT, nullable(row, "document"))
                        .set(CS_OPERATION.REVISION, row.path("revision").isNumber() ? row.get("revision").asLong() : null)
                        .set(CS_OPERATION.ACTOR, row.get("actor").asText())
                        .set(CS_OPERATION.STARTED_AT, OffsetDateTime.parse(row.get("startedAt").asText()))
                        .set(CS_OPERATION.DURATION_US, row.get("durationMicros").asLong())
                        .set(CS_OPERATION.OUTCOME, row.get("outcome").asText())
                        .set(CS_OPERATION.ERROR, nullable(row, "error")));
                where = COMPACTIONS;
                batch(context, compactions, row -> context.insertInto(CS_COMPACTION)
                        .set(CS_COMPACTION.FLOOR_REVISION, row.get("floorRevision").asLong())
                        .set(CS_COMPACTION.COMPACTED_AT, OffsetDateTime.parse(row.get("compactedAt").asText()))
                        .set(CS_COMPACTION.ACTOR, row.get("actor").asText())
                        .set(CS_COMPACTION.ROWS_DELETED, row.get("rowsDeleted").asLong()));
                where = RESTORE_POINTS;
                batch(context, restorePoints, row -> context.insertInto(CS_RESTORE_POINT)
                        .set(CS_RESTORE_POINT.NAME, DocumentNames.check(row.get("name").asText(), "restore point name"))
                        .set(CS_RESTORE_POINT.DOCUMENT, nullable(row, "document"))
                        .set(CS_RESTORE_POINT.REVISION, row.get("revision").asLong())
                        .set(CS_RESTORE_POINT.NOTE, nullable(row, "note"))
                        .set(CS_RESTORE_POINT.PRIORITY, row.get("priority").asInt())
                        .set(CS_RESTORE_POINT.AUTOMATIC, row.get("automatic").asBoolean())
                        .set(CS_RESTORE_POINT.CREATED_AT, OffsetDateTime.parse(row.get("createdAt").asText()))
                        .set(CS_RESTORE_POINT.ACTOR, row.get("actor").asText()));
            } catch (ImportException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ImportException(where, 0, 0, "a row cannot be restored: " + SqlErrorsText.of(e));
            }
        }

        private static void batch(DSLContext context, List<JsonNode> rows,
                                  java.util.function.Function<JsonNode, org.jooq.Query> insert) {
            List<org.jooq.Query> queries = new ArrayList<>();
            for (JsonNode row : rows) {
                queries.add(insert.apply(row));
                if (queries.size() == 500) {
                    context.batch(queries).execute();
                    queries.clear();
                }
            }
            if (!queries.isEmpty()) {
                context.batch(queries).execute();
            }
        }

        private static String nullable(JsonNode row, String field) {
            JsonNode value = row.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }

        private static JsonNode parse(byte[] bytes, String member) {
            try {
                return Json.mapper().readTree(bytes);
            } catch (java.io.IOException e) {
                throw new ImportException(member, 0, 0, "not valid JSON: " + e.getMessage().split("\n")[0]);
            }
        }

        private static JsonNode array(Map<String, byte[]> members, String name, String source) {
            JsonNode node = parse(members.get(name), source + "!" + name);
            if (!node.isArray()) {
                throw new ImportException(source + "!" + name, 1, 1, "expected a JSON array");
            }
            return node;
        }

        private static List<JsonNode> lines(Map<String, byte[]> members, String name, String source) {
            List<JsonNode> rows = new ArrayList<>();
            String[] lines = new String(members.get(name), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isEmpty()) {
                    JsonNode row = parse(lines[i].getBytes(StandardCharsets.UTF_8), source + "!" + name + ":" + (i + 1));
                    if (!row.isObject()) {
                        throw new ImportException(source + "!" + name, i + 1, 1, "expected a JSON object");
                    }
                    rows.add(row);
                }
            }
            return rows;
        }

        private static String text(JsonNode node, String field, String member) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual()) {
                throw new ImportException(member, 0, 0, "'" + field + "' is missing or not text");
            }
            return value.asText();
        }
    }

    /** The first line of an error, for messages. */
    private static final class SqlErrorsText {
        static String of(Throwable e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return message.strip().split("\r?\n", 2)[0];
        }
    }
}
