package dev.configstore.backup;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A named, pinned revision of one document or of the whole store. Compaction never drops a
 * revision a restore point pins, so it stays exactly restorable.
 *
 * @param name the restore point's unique name
 * @param document the document it pins, or empty for the whole store
 * @param revision the pinned revision
 * @param note why it was made, if given
 * @param priority its priority for {@link RetentionPolicy#PRIORITY} cleanups (higher is kept longer)
 * @param automatic whether the store made it before a destructive write
 * @param createdAt when it was made, from the store's clock
 * @param actor who made it
 */
public record RestorePoint(String name, Optional<String> document, long revision, Optional<String> note,
                           int priority, boolean automatic, Instant createdAt, String actor) {

    /**
     * Validates the fields.
     *
     * @param name the restore point's unique name
     * @param document the document it pins, or empty for the whole store
     * @param revision the pinned revision
     * @param note why it was made, if given
     * @param priority its priority for {@link RetentionPolicy#PRIORITY} cleanups (higher is kept longer)
     * @param automatic whether the store made it before a destructive write
     * @param createdAt when it was made, from the store's clock
     * @param actor who made it
     */
    public RestorePoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(actor, "actor");
    }

    /**
     * Returns what the restore point covers, for messages: the document or "the whole store".
     *
     * @return a short description of the scope
     */
    public String scope() {
        return document.map(name -> "document '" + name + "'").orElse("the whole store");
    }
}
