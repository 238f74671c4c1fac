package dev.configstore.internal.format;

import static dev.configstore.internal.jooq.Tables.CS_COMPACTION;
import static dev.configstore.internal.jooq.Tables.CS_DOCUMENT_VERSION;
import static dev.configstore.internal.jooq.Tables.CS_ENTRY;
import static dev.configstore.internal.jooq.Tables.CS_OPERATION;
import static dev.configstore.internal.jooq.Tables.CS_RESTORE_POINT;
import static dev.configstore.internal.jooq.Tables.CS_REVISION;
import static dev.configstore.internal.jooq.Tables.CS_SCHEMA;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.internal.document.DocumentNames;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.KeyPaths;
import dev.configstore.internal.jooq.tables.records.CsCompactionRecord;
import dev.configstore.internal.jooq.tables.records.CsDocumentVersionRecord;
import dev.configstore.internal.jooq.tables.records.CsEntryRecord;
import dev.configstore.internal.jooq.tables.records.CsOperationRecord;
import dev.configstore.internal.jooq.tables.records.CsRestorePointRecord;
import dev.configstore.internal.jooq.tables.records.CsRevisionRecord;
import dev.configstore.internal.jooq.tables.records.CsSchemaRecord;
import java.time.OffsetDateTime;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * One codec per table an archive carries: the member that holds the table's rows, a row to its
 * JSON object (export) and a JSON object back to an insert (restore). The field names are the
 * archive format; the archive tests pin them.
 */
final class ArchiveRows {

    /** A table's rows in an archive. */
    record TableCodec<R>(String member, Function<R, ObjectNode> toJson, BiFunction<DSLContext, JsonNode, Query> insert) {
    }

    static final TableCodec<CsRevisionRecord> REVISIONS = new TableCodec<>("rows/revisions.jsonl",
            row -> Json.NODES.objectNode().put("revision", row.getRevision())
                    .put("committedAt", row.getCommittedAt().toString()).put("actor", row.getActor())
                    .put("message", row.getMessage()).put("operation", row.getOperation())
                    .put("chainHash", row.getChainHash()).put("chainMac", row.getChainMac()),
            (context, row) -> context.insertInto(CS_REVISION)
                    .set(CS_REVISION.REVISION, row.get("revision").asLong())
                    .set(CS_REVISION.COMMITTED_AT, OffsetDateTime.parse(row.get("committedAt").asText()))
                    .set(CS_REVISION.ACTOR, row.get("actor").asText())
                    .set(CS_REVISION.MESSAGE, nullable(row, "message"))
                    .set(CS_REVISION.OPERATION, row.get("operation").asText())
                    .set(CS_REVISION.CHAIN_HASH, nullable(row, "chainHash"))
                    .set(CS_REVISION.CHAIN_MAC, nullable(row, "chainMac")));

    static final TableCodec<CsDocumentVersionRecord> VERSIONS = new TableCodec<>("rows/document-versions.jsonl",
            row -> Json.NODES.objectNode().put("document", row.getDocument()).put("revision", row.getRevision())
                    .put("deleted", row.getDeleted()).put("keyCount", row.getKeyCount())
                    .put("checksum", row.getChecksum()).put("parent", row.getParent())
                    .put("description", row.getDescription()).put("tags", row.getTags())
                    .put("schema", row.getSchemaSha256()).put("secretPatterns", row.getSecretPatterns()),
            (context, row) -> context.insertInto(CS_DOCUMENT_VERSION)
                    .set(CS_DOCUMENT_VERSION.DOCUMENT, DocumentNames.check(row.get("document").asText()))
                    .set(CS_DOCUMENT_VERSION.REVISION, row.get("revision").asLong())
                    .set(CS_DOCUMENT_VERSION.DELETED, row.get("deleted").asBoolean())
                    .set(CS_DOCUMENT_VERSION.KEY_COUNT, row.get("keyCount").asInt())
                    .set(CS_DOCUMENT_VERSION.CHECKSUM, row.get("checksum").asText())
                    .set(CS_DOCUMENT_VERSION.PARENT, nullable(row, "parent"))
                    .set(CS_DOCUMENT_VERSION.DESCRIPTION, nullable(row, "description"))
                    .set(CS_DOCUMENT_VERSION.TAGS, nullable(row, "tags"))
                    .set(CS_DOCUMENT_VERSION.SCHEMA_SHA256, nullable(row, "schema"))
                    .set(CS_DOCUMENT_VERSION.SECRET_PATTERNS, nullable(row, "secretPatterns")));

    /** The JSON Schemas the version rows name, by hash; archives made before schemas have none. */
    static final TableCodec<CsSchemaRecord> SCHEMAS = new TableCodec<>("rows/schemas.jsonl",
            row -> Json.NODES.objectNode().put("hash", row.getSchemaSha256()).put("schema", row.getSchemaJson()),
            (context, row) -> context.insertInto(CS_SCHEMA)
                    .set(CS_SCHEMA.SCHEMA_SHA256, row.get("hash").asText())
                    .set(CS_SCHEMA.SCHEMA_JSON, row.get("schema").asText()));

    static final TableCodec<CsEntryRecord> ENTRIES = new TableCodec<>("rows/entries.jsonl",
            row -> Json.NODES.objectNode().put("document", row.getDocument()).put("keyPath", row.getKeyPath())
                    .put("validFrom", row.getValidFrom()).put("validTo", row.getValidTo())
                    .put("value", row.getValueJson()),
            (context, row) -> context.insertInto(CS_ENTRY)
                    .set(CS_ENTRY.DOCUMENT, DocumentNames.check(row.get("document").asText()))
                    .set(CS_ENTRY.KEY_PATH, KeyPaths.canonical(row.get("keyPath").asText()))
                    .set(CS_ENTRY.VALID_FROM, row.get("validFrom").asLong())
                    .set(CS_ENTRY.VALID_TO, row.get("validTo").asLong())
                    .set(CS_ENTRY.VALUE_JSON, row.get("value").asText()));

    static final TableCodec<CsOperationRecord> OPERATIONS = new TableCodec<>("rows/operations.jsonl",
            row -> Json.NODES.objectNode().put("operation", row.getOperation()).put("document", row.getDocument())
                    .put("revision", row.getRevision()).put("actor", row.getActor())
                    .put("startedAt", row.getStartedAt().toString()).put("durationMicros", row.getDurationUs())
                    .put("outcome", row.getOutcome()).put("error", row.getError()),
            (context, row) -> context.insertInto(CS_OPERATION)
                    .set(CS_OPERATION.ID, org.jooq.impl.DSL.field(dev.configstore.internal.rows.RowSql.NEXT_OPERATION_ID,
                            Long.class))
                    .set(CS_OPERATION.OPERATION, row.get("operation").asText())
                    .set(CS_OPERATION.DOCUMENT, nullable(row, "document"))
                    .set(CS_OPERATION.REVISION, row.path("revision").isNumber() ? row.get("revision").asLong() : null)
                    .set(CS_OPERATION.ACTOR, row.get("actor").asText())
                    .set(CS_OPERATION.STARTED_AT, OffsetDateTime.parse(row.get("startedAt").asText()))
                    .set(CS_OPERATION.DURATION_US, row.get("durationMicros").asLong())
                    .set(CS_OPERATION.OUTCOME, row.get("outcome").asText())
                    .set(CS_OPERATION.ERROR, nullable(row, "error")));

    static final TableCodec<CsCompactionRecord> COMPACTIONS = new TableCodec<>("rows/compactions.jsonl",
            row -> Json.NODES.objectNode().put("floorRevision", row.getFloorRevision())
                    .put("compactedAt", row.getCompactedAt().toString()).put("actor", row.getActor())
                    .put("rowsDeleted", row.getRowsDeleted()).put("floorChainHash", row.getFloorChainHash()),
            (context, row) -> context.insertInto(CS_COMPACTION)
                    .set(CS_COMPACTION.FLOOR_REVISION, row.get("floorRevision").asLong())
                    .set(CS_COMPACTION.COMPACTED_AT, OffsetDateTime.parse(row.get("compactedAt").asText()))
                    .set(CS_COMPACTION.ACTOR, row.get("actor").asText())
                    .set(CS_COMPACTION.ROWS_DELETED, row.get("rowsDeleted").asLong())
                    .set(CS_COMPACTION.FLOOR_CHAIN_HASH, nullable(row, "floorChainHash")));

    /** Restore points are one JSON array, not JSON lines: operators read and edit this member. */
    static final TableCodec<CsRestorePointRecord> RESTORE_POINTS = new TableCodec<>("restore-points.json",
            row -> Json.NODES.objectNode().put("name", row.getName()).put("document", row.getDocument())
                    .put("revision", row.getRevision()).put("note", row.getNote()).put("priority", row.getPriority())
                    .put("automatic", row.getAutomatic()).put("createdAt", row.getCreatedAt().toString())
                    .put("actor", row.getActor()),
            (context, row) -> context.insertInto(CS_RESTORE_POINT)
                    .set(CS_RESTORE_POINT.NAME, DocumentNames.check(row.get("name").asText(), "restore point name"))
                    .set(CS_RESTORE_POINT.DOCUMENT, nullable(row, "document"))
                    .set(CS_RESTORE_POINT.REVISION, row.get("revision").asLong())
                    .set(CS_RESTORE_POINT.NOTE, nullable(row, "note"))
                    .set(CS_RESTORE_POINT.PRIORITY, row.get("priority").asInt())
                    .set(CS_RESTORE_POINT.AUTOMATIC, row.get("automatic").asBoolean())
                    .set(CS_RESTORE_POINT.CREATED_AT, OffsetDateTime.parse(row.get("createdAt").asText()))
                    .set(CS_RESTORE_POINT.ACTOR, row.get("actor").asText()));

    private ArchiveRows() {
    }

    static String nullable(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
