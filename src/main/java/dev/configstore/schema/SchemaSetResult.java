package dev.configstore.schema;

import dev.configstore.WriteResult;
import java.util.List;
import java.util.Objects;

/**
 * What setting a schema did. Immutable.
 *
 * @param write the revision that set it ({@code changed} false when the document had that schema)
 * @param violations how the document's content fails the new schema: empty unless it was forced
 */
public record SchemaSetResult(WriteResult write, List<SchemaViolation> violations) {

    /**
     * Validates the fields.
     *
     * @param write the revision that set it
     * @param violations how the content fails the new schema
     */
    public SchemaSetResult {
        Objects.requireNonNull(write, "write");
        violations = List.copyOf(violations);
    }
}
