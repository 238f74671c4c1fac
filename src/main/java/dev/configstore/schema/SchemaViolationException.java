package dev.configstore.schema;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A write, or a new schema, refused because a document would not match its JSON Schema.
 * Nothing was written. The message has one line per violation.
 */
public final class SchemaViolationException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    /** The violations, in document and key order. */
    private final transient List<SchemaViolation> violations;

    /**
     * Creates the exception.
     *
     * @param violations every violation found; not empty
     */
    public SchemaViolationException(List<SchemaViolation> violations) {
        super(ErrorCode.INVALID_INPUT, message(violations));
        this.violations = List.copyOf(violations);
    }

    private static String message(List<SchemaViolation> violations) {
        return violations.stream().collect(Collectors.groupingBy(SchemaViolation::document,
                        java.util.TreeMap::new, Collectors.toList()))
                .entrySet().stream()
                .map(document -> "document '" + document.getKey() + "' would not match its schema ("
                        + document.getValue().size() + (document.getValue().size() == 1 ? " violation" : " violations")
                        + "); nothing was written:\n  " + document.getValue().stream().map(SchemaViolation::describe)
                        .collect(Collectors.joining("\n  ")))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Returns the violations.
     *
     * @return every violation found, not empty
     */
    public List<SchemaViolation> violations() {
        return violations;
    }
}
