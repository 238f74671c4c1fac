package dev.configstore.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One key's change between two states of a document. Immutable: the values are copied in,
 * and each call of {@link #oldValue()} or {@link #newValue()} returns a copy of its own.
 *
 * @param document the document
 * @param key the key of a leaf value (a scalar, an array or an empty object)
 * @param kind added, removed or changed
 * @param oldValue the value before, empty when added
 * @param newValue the value after, empty when removed
 */
public record KeyChange(String document, ConfigKey key, ChangeKind kind, Optional<JsonNode> oldValue,
                        Optional<JsonNode> newValue) {

    /**
     * Validates the fields.
     *
     * @param document the document
     * @param key the key of a leaf value (a scalar, an array or an empty object)
     * @param kind added, removed or changed
     * @param oldValue the value before, empty when added
     * @param newValue the value after, empty when removed
     */
    public KeyChange {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        oldValue = oldValue.map(JsonNode::deepCopy);
        newValue = newValue.map(JsonNode::deepCopy);
    }

    /**
     * The value before, empty when added.
     *
     * @return a copy of the value
     */
    @Override
    public Optional<JsonNode> oldValue() {
        return oldValue.map(JsonNode::deepCopy);
    }

    /**
     * The value after, empty when removed.
     *
     * @return a copy of the value
     */
    @Override
    public Optional<JsonNode> newValue() {
        return newValue.map(JsonNode::deepCopy);
    }
}
