package dev.configstore.internal.write;

import dev.configstore.Change;
import dev.configstore.internal.document.DocumentMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one write changes, decided inside its transaction against the head it sees.
 * {@code trusted} edits carry content the store already holds (a restore, a rename, an
 * apply): the input limits are not applied to them again, so the store can always give back
 * what it accepted, even under a lower limit or from an older version's rules. The schemas
 * of {@code unchecked} documents are not checked (a schema set with force).
 */
public record Edits(List<Change> changes, Map<String, DocumentMeta> metas, boolean trusted, Set<String> unchecked) {
    public Edits {
        changes = List.copyOf(changes);
        metas = Map.copyOf(metas);
        unchecked = Set.copyOf(unchecked);
    }

    public Edits(List<Change> changes, Map<String, DocumentMeta> metas, boolean trusted) {
        this(changes, metas, trusted, Set.of());
    }

    public Edits(List<Change> changes, Map<String, DocumentMeta> metas) {
        this(changes, metas, false);
    }
}
