package dev.configstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One change inside a write. A {@link Batch} collects several and commits them as one
 * revision. Immutable and thread-safe.
 */
public sealed interface Change {

    /**
     * The document the change applies to.
     *
     * @return the document name
     */
    String document();

    /**
     * Sets a key to a value (a scalar, an array or an object), creating the document and
     * any missing parent objects.
     *
     * @param document the document
     * @param key the key
     * @param value the new value
     */
    record Set(String document, ConfigKey key, JsonNode value) implements Change {
        /**
         * Validates the fields.
         *
         * @param document the document
         * @param key the key
         * @param value the new value
         */
        public Set {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            value = value.deepCopy();
        }
    }

    /**
     * Removes a key and everything below it.
     *
     * @param document the document
     * @param key the key, which must exist
     */
    record Unset(String document, ConfigKey key) implements Change {
        /**
         * Validates the fields.
         *
         * @param document the document
         * @param key the key, which must exist
         */
        public Unset {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Replaces a whole document, creating it if needed.
     *
     * @param document the document
     * @param tree the new content
     */
    record Replace(String document, ObjectNode tree) implements Change {
        /**
         * Validates the fields.
         *
         * @param document the document
         * @param tree the new content
         */
        public Replace {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(tree, "tree");
            tree = tree.deepCopy();
        }
    }

    /**
     * Deletes a document, which must exist. Its history stays readable.
     *
     * @param document the document
     */
    record Delete(String document) implements Change {
        /**
         * Validates the fields.
         *
         * @param document the document
         */
        public Delete {
            Objects.requireNonNull(document, "document");
        }
    }
}
