package dev.configstore.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.WriteResult;
import java.util.List;
import java.util.Optional;

/**
 * JSON Schemas per document (draft 2020-12 by default; 2019-09 and draft-07 when the schema's
 * {@code $schema} names them). A schema is stored in the store and versioned with its document:
 * setting, changing or removing it is a revision, and history, restore points and archives carry
 * it. Every write that changes a document with a schema, or a document it extends, is checked
 * against the whole resolved document before it commits, and refused with a
 * {@link SchemaViolationException} if it fails. A schema may only refer to itself
 * ({@code $ref: "#/$defs/..."}): the store never fetches anything from the network.
 * Thread-safe.
 */
public interface Schemas {

    /**
     * Sets a document's schema in a new revision. Refused with a
     * {@link SchemaViolationException} if the document's resolved content does not match it,
     * unless {@code force}; then the result lists the violations.
     *
     * @param document the document (the main document or a profile); it must exist
     * @param schema the JSON Schema, an object or a boolean
     * @param force whether to set it even though the content does not match
     * @return the revision and, when forced, the violations
     * @throws dev.configstore.ConfigStoreException {@code INVALID_INPUT} for a malformed schema,
     *     an unknown {@code $schema} or a reference outside the schema; {@code NOT_FOUND} if the
     *     document does not exist
     */
    SchemaSetResult set(String document, JsonNode schema, boolean force);

    /**
     * Returns a document's schema at head.
     *
     * @param document the document
     * @return the schema, or empty if the document has none
     */
    Optional<JsonNode> get(String document);

    /**
     * Removes a document's schema in a new revision.
     *
     * @param document the document
     * @return the revision ({@code changed} false when it had none)
     */
    WriteResult remove(String document);

    /**
     * Checks the document's resolved content at head against its schema, writing nothing.
     *
     * @param document the document
     * @return the violations; empty if it matches or has no schema
     */
    List<SchemaViolation> validate(String document);

    /**
     * Checks what the document would be with {@code content} as its own content (its parents
     * still merged under it), writing nothing.
     *
     * @param document the document whose schema applies
     * @param content the document's would-be content
     * @return the violations; empty if it matches or has no schema
     */
    List<SchemaViolation> validate(String document, ObjectNode content);

    /**
     * Returns {@code tree} with the {@code default} of every property its schema declares and
     * the tree lacks filled in (following {@code properties} into objects). The tree given is
     * not changed.
     *
     * @param document the document whose schema applies
     * @param tree the document's content, as read
     * @return a copy with the defaults filled in; an equal copy if the document has no schema
     */
    ObjectNode withDefaults(String document, ObjectNode tree);
}
