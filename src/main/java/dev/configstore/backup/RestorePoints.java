package dev.configstore.backup;

import dev.configstore.ConfigStoreException;
import dev.configstore.WriteResult;
import dev.configstore.history.Diff;
import java.util.List;
import java.util.Optional;

/**
 * Restore points: create, list, restore, delete and clean up. Restoring never rewrites
 * history: it commits a new revision that makes the pinned scope equal to its pinned state.
 * Thread-safe.
 *
 * <p>Names follow the document-name rule (1 to 64 letters, digits, '-' and '_', starting with
 * a letter or digit); names starting with {@code auto-} are reserved for the restore points the
 * store makes itself before destructive writes.
 */
public interface RestorePoints {

    /**
     * Pins the head revision of the whole store.
     *
     * @param name a unique name
     * @param priority the priority for {@link RetentionPolicy#PRIORITY} cleanups
     * @param note why, or empty
     * @return the restore point
     * @throws ConfigStoreException with {@code INVALID_INPUT} if the name is malformed, reserved
     *     or taken
     */
    RestorePoint create(String name, int priority, String note);

    /**
     * Pins the head revision of one document.
     *
     * @param document an existing document
     * @param name a unique name
     * @param priority the priority for {@link RetentionPolicy#PRIORITY} cleanups
     * @param note why, or empty
     * @return the restore point
     * @throws ConfigStoreException with {@code NOT_FOUND} if the document does not exist,
     *     {@code INVALID_INPUT} if the name is malformed, reserved or taken
     */
    RestorePoint create(String document, String name, int priority, String note);

    /**
     * Lists every restore point, oldest first.
     *
     * @return the restore points
     */
    List<RestorePoint> list();

    /**
     * Finds a restore point by name.
     *
     * @param name the name
     * @return the restore point, or empty
     */
    Optional<RestorePoint> find(String name);

    /**
     * Commits a new revision that makes the restore point's scope equal to its pinned state:
     * content and metadata; a document deleted since comes back, and for a whole-store point a
     * document created since is deleted. An automatic restore point of the state before is made
     * first, in the same transaction.
     *
     * @param name the restore point
     * @return the result; unchanged if the scope already equals the pinned state
     * @throws ConfigStoreException with {@code NOT_FOUND} if there is no such restore point
     */
    WriteResult restore(String name);

    /**
     * Restores as {@link #restore(String)} does, only if no document the restore changes has
     * changed after {@code expectedRevision}: the head at which its {@linkplain #preview preview}
     * was read, so what is restored is what the preview showed. Checked in the restore's own
     * transaction.
     *
     * @param name the restore point
     * @param expectedRevision the revision the caller last saw, 0 or more
     * @return the result; unchanged if the scope already equals the pinned state
     * @throws ConfigStoreException with {@code NOT_FOUND} if there is no such restore point
     * @throws dev.configstore.VersionConflictException if a document the restore changes changed
     *     after {@code expectedRevision}
     * @throws IllegalArgumentException if {@code expectedRevision} is negative
     */
    WriteResult restore(String name, long expectedRevision);

    /**
     * Returns what {@link #restore(String)} would change, without writing anything: the diff
     * from the head to the pinned state, over the restore point's scope.
     *
     * @param name the restore point
     * @return the changes the restore would make
     * @throws ConfigStoreException with {@code NOT_FOUND} if there is no such restore point
     */
    Diff preview(String name);

    /**
     * Deletes a restore point; the revision it pinned may then be compacted.
     *
     * @param name the restore point
     * @throws ConfigStoreException with {@code NOT_FOUND} if there is no such restore point
     */
    void delete(String name);

    /**
     * Keeps {@code keep} of the restore points made on demand and deletes the rest in the
     * policy's order. Automatic restore points are kept to the builder's count on their own.
     *
     * @param keep how many to keep, at least 0
     * @param policy which go first
     * @return the restore points deleted
     * @throws IllegalArgumentException if {@code keep} is negative
     */
    List<RestorePoint> cleanup(int keep, RetentionPolicy policy);

    /**
     * Lists what {@link #cleanup} would delete, deleting nothing.
     *
     * @param keep how many to keep, at least 0
     * @param policy which go first
     * @return the restore points a cleanup would delete
     * @throws IllegalArgumentException if {@code keep} is negative
     */
    List<RestorePoint> previewCleanup(int keep, RetentionPolicy policy);
}
