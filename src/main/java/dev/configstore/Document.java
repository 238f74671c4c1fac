package dev.configstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A document as it was at one revision: its name, that revision and its JSON tree.
 *
 * <p>Immutable and thread-safe: the tree is copied in and {@link #tree()} returns a copy.
 *
 * @param name the document's name
 * @param revision the store revision this state was read at
 * @param lastChanged the revision that last changed the document, at or before {@code revision}
 * @param tree the JSON tree; object keys come back in sorted order
 */
public record Document(String name, long revision, long lastChanged, ObjectNode tree) {

    /**
     * Validates the fields.
     *
     * @param name the document's name
     * @param revision the store revision this state was read at
     * @param lastChanged the revision that last changed the document, at or before {@code revision}
     * @param tree the JSON tree; object keys come back in sorted order
     */
    public Document {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tree, "tree");
        tree = tree.deepCopy();
    }

    /**
     * Returns a copy of the JSON tree; changing it does not change the store.
     *
     * @return a fresh copy of the tree
     */
    @Override
    public ObjectNode tree() {
        return tree.deepCopy();
    }

    /**
     * Returns the value at a key: a scalar, an array or an object (a subtree).
     *
     * @param key the key
     * @return the value (a copy), or empty if the key is not in the document
     */
    public Optional<JsonNode> find(ConfigKey key) {
        JsonNode node = tree;
        for (String segment : key.segments()) {
            node = node.isObject() ? node.get(segment) : null;
            if (node == null) {
                return Optional.empty();
            }
        }
        return Optional.of(node.deepCopy());
    }

    /**
     * Returns the value at a key given in its dotted text form.
     *
     * @param key the key, see {@link ConfigKey#parse(String)}
     * @return the value (a copy), or empty if the key is not in the document
     * @throws ConfigStoreException with {@link ErrorCode#INVALID_INPUT} if the key is malformed
     */
    public Optional<JsonNode> find(String key) {
        return find(ConfigKey.parse(key));
    }
}
