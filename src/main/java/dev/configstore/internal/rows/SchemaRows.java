package dev.configstore.internal.rows;

import static dev.configstore.internal.jooq.Tables.CS_SCHEMA;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.internal.document.Json;
import org.jooq.DSLContext;

/** The SQL of stored JSON Schemas: one row per distinct schema text, named by its SHA-256. */
public final class SchemaRows {

    private SchemaRows() {
    }

    /** Stores a schema's text unless a row has it already (rows are never changed). */
    public static void store(DSLContext context, String hash, String json) {
        if (!context.fetchExists(CS_SCHEMA, CS_SCHEMA.SCHEMA_SHA256.eq(hash))) {
            try {
                context.insertInto(CS_SCHEMA).set(CS_SCHEMA.SCHEMA_SHA256, hash).set(CS_SCHEMA.SCHEMA_JSON, json)
                        .execute();
            } catch (org.jooq.exception.DataAccessException e) {
                java.sql.SQLException cause = e.getCause(java.sql.SQLException.class);
                if (cause != null && StoreRows.isDuplicateKey(cause)) {
                    // a writer in another process stored the same schema first (writes store their
                    // schema before they take their revision number): start over, and find it there
                    throw new dev.configstore.internal.db.TransientWriteException("schema " + hash
                            + " was stored by a concurrent writer", cause);
                }
                throw e;
            }
        }
    }

    /** The text of the schema a version row names; a missing or altered row means damage. */
    public static String text(DSLContext context, String hash) {
        String json = context.select(CS_SCHEMA.SCHEMA_JSON).from(CS_SCHEMA).where(CS_SCHEMA.SCHEMA_SHA256.eq(hash))
                .fetchOne(CS_SCHEMA.SCHEMA_JSON);
        if (json == null || !Json.sha256(json).equals(hash)) {
            throw new ConfigStoreException(ErrorCode.STORE_DAMAGED, "the JSON Schema " + hash.substring(0, 12)
                    + "... that a document names is " + (json == null ? "missing" : "not the text it was stored as")
                    + "; the store is damaged: run verify, and restore it from an archive or a copy of its directory");
        }
        return json;
    }
}
