package dev.configstore.internal.format;

import static dev.configstore.internal.jooq.Tables.CS_COMPACTION;
import static dev.configstore.internal.jooq.Tables.CS_DOCUMENT_VERSION;
import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;
import static dev.configstore.internal.jooq.Tables.CS_SCHEMA;
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
import dev.configstore.internal.document.Inheritance.Source;
import dev.configstore.internal.document.Inheritance;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.SchemaBook;
import dev.configstore.internal.rows.SchemaRows;
import dev.configstore.internal.health.Verifier;
import dev.configstore.internal.history.JooqHistory;
import dev.configstore.internal.jooq.tables.records.CsDocumentVersionRecord;
import dev.configstore.internal.rows.StoreRows;
import dev.configstore.internal.write.HeadCache;
import dev.configstore.internal.write.Edits;
import dev.configstore.internal.write.Write;
import dev.configstore.internal.write.RevisionWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        writer.logged("export-archive", null, () -> database.read(context -> { // locks rows: not on a standby
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
                        revisions.add(ArchiveRows.REVISIONS.toJson().apply(row));
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
                    versions.add(ArchiveRows.VERSIONS.toJson().apply(row));
                }
            }
        });
        Lines entries = new Lines();
        context.selectFrom(CS_ENTRY).where(CS_ENTRY.VALID_FROM.le(head))
                .orderBy(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM)
                .forEach(row -> {
                    long to = row.getValidTo() > head ? StoreRows.LIVE : row.getValidTo();
                    if (withHistory || !kept.subSet(row.getValidFrom(), to).isEmpty()) {
                        entries.add(ArchiveRows.ENTRIES.toJson().apply(row).put("validTo", to));
                    }
                });
        Lines operations = new Lines();
        if (withHistory) {
            // the operations view: the log's own rows and those kept in revision rows, in one order
            context.resultQuery("SELECT operation_id AS id, operation, document, revision, actor, started_at,"
                            + " duration_micros AS duration_us, outcome, error FROM operations ORDER BY operation_id")
                    .coerce(CS_OPERATION.fields()).fetch().into(CS_OPERATION)
                    .forEach(row -> operations.add(ArchiveRows.OPERATIONS.toJson().apply(row)));
        }
        Lines compactions = new Lines();
        if (withHistory) {
            context.selectFrom(CS_COMPACTION).orderBy(CS_COMPACTION.ID)
                    .forEach(row -> compactions.add(ArchiveRows.COMPACTIONS.toJson().apply(row)));
        } else if (newFloor > 0) {
            compactions.add(NODES.objectNode().put("floorRevision", newFloor)
                    .put("compactedAt", StoreRows.utc(writer.settings().clock().instant()).toString())
                    .put("actor", writer.settings().actor()).put("rowsDeleted", 0)
                    .put("floorChainHash", dev.configstore.internal.rows.ChainRows.hashOf(context, newFloor)));
        }
        ArrayNode points = NODES.arrayNode();
        context.selectFrom(CS_RESTORE_POINT).where(CS_RESTORE_POINT.REVISION.le(head)).orderBy(CS_RESTORE_POINT.ID)
                .forEach(row -> points.add(ArchiveRows.RESTORE_POINTS.toJson().apply(row)));
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
                    .put("lastChanged", version.revision()).put("schema", meta.schema());
            ArrayNode tags = described.putArray("tags");
            meta.tags().forEach(tags::add);
            ArrayNode patterns = described.putArray("secretPatterns");
            meta.secretPatterns().forEach(patterns::add);
        }
        members.put(ArchiveContents.DOCUMENTS, ArchiveCodec.json(documents));
        members.put(ArchiveRows.RESTORE_POINTS.member(), ArchiveCodec.json(points));
        members.put(ArchiveRows.REVISIONS.member(), revisions.bytes());
        members.put(ArchiveRows.VERSIONS.member(), versions.bytes());
        members.put(ArchiveRows.ENTRIES.member(), entries.bytes());
        members.put(ArchiveRows.OPERATIONS.member(), operations.bytes());
        members.put(ArchiveRows.COMPACTIONS.member(), compactions.bytes());
        Lines schemas = new Lines();
        context.selectFrom(CS_SCHEMA).orderBy(CS_SCHEMA.SCHEMA_SHA256)
                .forEach(row -> schemas.add(ArchiveRows.SCHEMAS.toJson().apply(row)));
        members.put(ArchiveRows.SCHEMAS.member(), schemas.bytes());
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
        ArchiveContents contents = ArchiveContents.parse(read, source, formats.codecs());
        boolean empty = database.read(context -> StoreRows.head(context) == 0
                && context.fetchCount(CS_RESTORE_POINT) == 0);
        if (empty) {
            return restoreWhole(contents, source, dryRun);
        }
        return merge(contents, source, dryRun);
    }

    private ArchiveResult restoreWhole(ArchiveContents contents, String source, boolean dryRun) {
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
            checkChain(context, source, writer.keyring().mac());
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
        return new ArchiveResult(true, head, contents.documents().size(), contents.restorePoints().size(),
                contents.revisions().size(), new Diff(head, head, List.of()), notes);
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
            throw new ImportException(source, 0, 0, "the archive's head cannot be read: " + ArchiveContents.firstLine(e));
        }
    }

    /**
     * The archive's history must be the one its hash chain describes. An archive made before the
     * chain existed carries no hashes: they are computed now, from its rows.
     */
    private static void checkChain(DSLContext context, String source, java.util.function.UnaryOperator<String> mac) {
        boolean filled = dev.configstore.internal.rows.ChainRows.fillMissing(context);
        long head = StoreRows.head(context);
        // HMACs made with this store's keyring are checked; without them the hashes are, and the HMACs made now
        boolean signed = mac != null && dev.configstore.internal.rows.ChainRows.macOf(context, head) != null;
        dev.configstore.health.ChainVerification chain =
                dev.configstore.internal.health.ChainVerifier.verify(context, -1, null, signed ? mac : null);
        if (!chain.isIntact()) {
            throw new ImportException(source, 0, 0, "the archive's history does not match its hash chain: "
                    + chain.problem() + (signed ? " (or its HMACs were made with another keyring: import it with"
                    + " the keyring it was made with)" : ""));
        }
        if (mac != null && !filled) { // the hashes the archive carried were checked: its history is signed as it is
            dev.configstore.internal.rows.ChainRows.fillMacs(context, mac);
        }
    }

    /** Rolls back a dry run after every check passed. */
    private static final class DryRun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DryRun() {
            super("dry run", null, false, false);
        }
    }

    private ArchiveResult merge(ArchiveContents contents, String source, boolean dryRun) {
        List<String> notes = new ArrayList<>();
        notes.add("merged the documents into a store that already has revisions; its history, operation log and "
                + contents.restorePoints().size() + " restore points were not imported (restore into an empty store"
                + " to keep them)");
        BiFunction<DSLContext, HeadCache, Edits> edits = (context, head) -> {
            List<Change> changes = new ArrayList<>();
            Map<String, DocumentMeta> metas = new HashMap<>();
            for (ArchiveContents.ArchivedDocument document : contents.documents().values()) {
                List<Source> chain = head.chain(document.name());
                ObjectNode merged = Inheritance.merge(document.content(), chain.isEmpty() ? null : chain.get(0));
                changes.add(new Change.Replace(document.name(), merged));
                DocumentMeta meta = document.meta();
                if (meta.schema() != null) { // checked again as a schema a user gives, then stored
                    SchemaBook.Prepared schema = writer.schemas().prepare(
                            SchemaBook.parse(contents.schemaTexts().get(meta.schema())));
                    if (!dryRun) {
                        SchemaRows.store(context, schema.hash(), schema.json());
                    }
                    meta = meta.withSchema(schema.hash());
                }
                metas.put(document.name(), meta);
            }
            return new Edits(changes, metas);
        };
        if (dryRun) {
            List<KeyChange> changes = writer.preview(-1, edits);
            long head = writer.head().revision();
            notes.add("dry run: nothing written");
            return new ArchiveResult(false, head, contents.documents().size(), 0, 0, new Diff(head, head, changes), notes);
        }
        WriteResult write = writer.run(new Write("import-archive", null, "import archive " + source, -1, null), edits);
        Diff diff = write.changed() ? history.diff(write.revision() - 1, write.revision())
                : new Diff(write.revision(), write.revision(), List.of());
        return new ArchiveResult(false, write.revision(), contents.documents().size(), 0, 0, diff, notes);
    }
}
