package dev.configstore.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One way a document fails its JSON Schema. Immutable.
 *
 * @param document the document whose schema the content fails
 * @param key the dotted key of the value at fault; empty for the document itself (a missing
 *     required key, a key the schema does not allow)
 * @param message what the schema expected, in the validator's words
 * @param found the value found there, if any (a secret value as its mask)
 */
public record SchemaViolation(String document, String key, String message, Optional<JsonNode> found) {

    /**
     * Validates the fields.
     *
     * @param document the document whose schema the content fails
     * @param key the dotted key of the value at fault, or empty
     * @param message what the schema expected
     * @param found the value found there, if any
     */
    public SchemaViolation {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(found, "found");
    }

    /**
     * Returns the violation as one line: the key, what was expected and what was found.
     *
     * @return a line for an operator
     */
    public String describe() {
        String where = key.isEmpty() ? "the document" : "key '" + key + "'";
        String value = found.map(JsonNode::toString)
                .map(text -> text.length() > 80 ? text.substring(0, 77) + "..." : text)
                .map(text -> " (found " + text + ")").orElse("");
        return where + ": " + message + value;
    }
}
