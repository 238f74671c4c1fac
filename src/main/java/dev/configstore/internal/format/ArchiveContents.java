package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Inheritance.Source;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.SchemaBook;
import dev.configstore.internal.document.SecretBox;
import dev.configstore.internal.rows.StoreRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jooq.DSLContext;

/**
 * The members of an archive, parsed and validated before anything is written: the documents
 * with their metadata, and the rows of every table through {@link ArchiveRows}. Restoring into
 * an empty store inserts the rows; merging into a store that has revisions uses the documents.
 */
final class ArchiveContents {

    static final String DOCUMENTS = "documents.json";

    record ArchivedDocument(String name, DocumentMeta meta, Source content) {
    }

    private final Map<String, ArchivedDocument> documents = new TreeMap<>();
    private final List<JsonNode> restorePoints = new ArrayList<>();
    private final List<JsonNode> revisions = new ArrayList<>();
    private final List<JsonNode> versions = new ArrayList<>();
    private final List<JsonNode> schemas = new ArrayList<>();
    private final Map<String, String> schemaTexts = new TreeMap<>();
    private final List<JsonNode> entries = new ArrayList<>();
    private final List<JsonNode> operations = new ArrayList<>();
    private final List<JsonNode> compactions = new ArrayList<>();

    private ArchiveContents() {
    }

    Map<String, ArchivedDocument> documents() {
        return documents;
    }

    List<JsonNode> restorePoints() {
        return restorePoints;
    }

    List<JsonNode> revisions() {
        return revisions;
    }

    /** The text of every schema the archive carries, by the SHA-256 it is named by. */
    Map<String, String> schemaTexts() {
        return schemaTexts;
    }

    static ArchiveContents parse(ArchiveCodec.Read read, String source,
                          dev.configstore.internal.format.TextFormats codecs) {
        ArchiveContents contents = new ArchiveContents();
        Map<String, byte[]> members = read.members();
        for (String required : List.of(DOCUMENTS, ArchiveRows.RESTORE_POINTS.member(), ArchiveRows.REVISIONS.member(), ArchiveRows.VERSIONS.member(), ArchiveRows.ENTRIES.member(), ArchiveRows.OPERATIONS.member(),
                ArchiveRows.COMPACTIONS.member())) {
            if (!members.containsKey(required)) {
                throw new ImportException(source, 0, 0, "the archive has no member '" + required + "'");
            }
        }
        if (members.containsKey(ArchiveRows.SCHEMAS.member())) { // absent from archives made before schemas
            contents.schemas.addAll(lines(members, ArchiveRows.SCHEMAS.member(), source));
        }
        for (JsonNode row : contents.schemas) {
            String hash = row.path("hash").asText("");
            String text = row.path("schema").asText("");
            if (!Json.sha256(text).equals(hash)) {
                throw new ImportException(source + "!" + ArchiveRows.SCHEMAS.member(), 0, 0, "schema " + Json.shorten(hash)
                        + " does not have that SHA-256: the archive was changed or damaged");
            }
            contents.schemaTexts.put(hash, text);
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
                        document.path("description").asText(""), tags)
                        .withSchema(contents.schemaNamed(ArchiveRows.nullable(document, "schema")))
                        .withSecretPatterns(patterns(document));
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
        array(members, ArchiveRows.RESTORE_POINTS.member(), source).forEach(contents.restorePoints::add);
        contents.revisions.addAll(lines(members, ArchiveRows.REVISIONS.member(), source));
        contents.versions.addAll(lines(members, ArchiveRows.VERSIONS.member(), source));
        contents.entries.addAll(lines(members, ArchiveRows.ENTRIES.member(), source));
        contents.operations.addAll(lines(members, ArchiveRows.OPERATIONS.member(), source));
        contents.compactions.addAll(lines(members, ArchiveRows.COMPACTIONS.member(), source));
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
            requireRange(row.path("revision").asLong(-1), 1, head, ArchiveRows.REVISIONS.member(), source);
        }
        if (maxRevision != head) {
            throw new ImportException(source + "!" + ArchiveRows.REVISIONS.member(), 0, 0, "the newest revision is " + maxRevision
                    + ", the manifest says " + head);
        }
        for (JsonNode row : versions) {
            requireRange(row.path("revision").asLong(-1), 1, head, ArchiveRows.VERSIONS.member(), source);
            try {
                DocumentNames.check(row.path("document").asText());
                String parent = ArchiveRows.nullable(row, "parent");
                DocumentMeta meta = DocumentMeta.fromColumns(parent == null ? null : DocumentNames.check(parent),
                        ArchiveRows.nullable(row, "description"), ArchiveRows.nullable(row, "tags"),
                        schemaNamed(ArchiveRows.nullable(row, "schema")), ArchiveRows.nullable(row, "secretPatterns"));
                DocumentMeta.of(meta.parent(), meta.description(), meta.tags());
            } catch (RuntimeException e) {
                throw new ImportException(source + "!" + ArchiveRows.VERSIONS.member(), 0, 0, "a row has bad metadata: "
                        + firstLine(e));
            }
        }
        Map<String, List<long[]>> intervals = new TreeMap<>();
        Map<String, TreeSet<String>> live = new TreeMap<>();
        for (JsonNode row : entries) {
            long from = row.path("validFrom").asLong(-1);
            long to = row.path("validTo").asLong(-1);
            requireRange(from, 1, head, ArchiveRows.ENTRIES.member(), source);
            if (to <= from || (to > head && to != StoreRows.LIVE)) {
                throw new ImportException(source + "!" + ArchiveRows.ENTRIES.member(), 0, 0, "a row is valid from " + from + " to "
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
                    throw new ImportException(source + "!" + ArchiveRows.ENTRIES.member(), 0, 0, "two rows of key '"
                            + key.replace('\u0000', ':') + "' overlap");
                }
            }
        });
        live.forEach((document, keys) -> {
            for (String key : keys) {
                String below = keys.ceiling(key + ".");
                if (below != null && below.startsWith(key + ".")) {
                    throw new ImportException(source + "!" + ArchiveRows.ENTRIES.member(), 0, 0, "document '" + document + "' has a"
                            + " value at '" + key + "' and keys below it ('" + below + "')");
                }
            }
        });
        for (JsonNode row : restorePoints) {
            requireRange(row.path("revision").asLong(-1), 0, head, ArchiveRows.RESTORE_POINTS.member(), source);
            String document = ArchiveRows.nullable(row, "document");
            try {
                if (document != null) {
                    DocumentNames.check(document);
                }
                DocumentNames.check(row.path("name").asText(), "restore point name");
            } catch (ConfigStoreException e) {
                throw new ImportException(source + "!" + ArchiveRows.RESTORE_POINTS.member(), 0, 0, e.getMessage());
            }
        }
        for (JsonNode row : compactions) {
            requireRange(row.path("floorRevision").asLong(-1), 0, head, ArchiveRows.COMPACTIONS.member(), source);
        }
    }

    private static void requireRange(long revision, long low, long high, String member, String source) {
        if (revision < low || revision > high) {
            throw new ImportException(source + "!" + member, 0, 0, "revision " + revision + " is outside "
                    + low + ".." + high);
        }
    }

    /** The secret patterns a document of the archive lists. */
    private static List<String> patterns(JsonNode document) {
        List<String> patterns = new ArrayList<>();
        document.path("secretPatterns").forEach(pattern -> patterns.add(SecretBox.checkPattern(pattern.asText())));
        return patterns;
    }

    /** A schema hash a row names, which the archive must carry. */
    private String schemaNamed(String hash) {
        if (hash != null && !schemaTexts.containsKey(hash)) {
            throw new ConfigStoreException(dev.configstore.ErrorCode.INVALID_INPUT, "it names schema "
                    + Json.shorten(hash) + ", which the archive does not carry");
        }
        return hash;
    }

    /** Inserts every row, in the order that keeps identities ordered as in the source store. */
    void insert(DSLContext context) {
        String where = "rows";
        try {
            revisions.sort(java.util.Comparator.comparingLong(row -> row.path("revision").asLong()));
            where = ArchiveRows.REVISIONS.member();
            for (JsonNode row : revisions) {
                ArchiveRows.REVISIONS.insert().apply(context, row).execute();
            }
            where = ArchiveRows.VERSIONS.member();
            batch(context, versions, ArchiveRows.VERSIONS);
            where = ArchiveRows.SCHEMAS.member();
            batch(context, schemas, ArchiveRows.SCHEMAS);
            where = ArchiveRows.ENTRIES.member();
            batch(context, entries, ArchiveRows.ENTRIES);
            where = ArchiveRows.OPERATIONS.member();
            batch(context, operations, ArchiveRows.OPERATIONS);
            where = ArchiveRows.COMPACTIONS.member();
            batch(context, compactions, ArchiveRows.COMPACTIONS);
            where = ArchiveRows.RESTORE_POINTS.member();
            batch(context, restorePoints, ArchiveRows.RESTORE_POINTS);
        } catch (ImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImportException(where, 0, 0, "a row cannot be restored: " + firstLine(e));
        }
    }

    private static void batch(DSLContext context, List<JsonNode> rows, ArchiveRows.TableCodec<?> codec) {
        List<org.jooq.Query> queries = new ArrayList<>();
        for (JsonNode row : rows) {
            queries.add(codec.insert().apply(context, row));
            if (queries.size() == 500) {
                context.batch(queries).execute();
                queries.clear();
            }
        }
        if (!queries.isEmpty()) {
            context.batch(queries).execute();
        }
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

    /** The first line of an error, for messages. */
    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.strip().split("\r?\n", 2)[0];
    }
}
