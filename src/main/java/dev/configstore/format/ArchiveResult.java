package dev.configstore.format;

import dev.configstore.history.Diff;
import java.util.List;
import java.util.Objects;

/**
 * What an archive import did, or with a dry run would do.
 *
 * @param wholeStore whether the archive was restored whole into an empty store (history,
 *     revision numbers and restore points included); otherwise its documents were merged into
 *     the store in one new revision
 * @param revision the store's head revision afterwards
 * @param documents how many documents the archive holds
 * @param restorePoints how many restore points were restored (0 for a merge)
 * @param revisions how many revisions were restored (0 for a merge)
 * @param diff for a merge, the changes made; empty for a whole-store restore
 * @param notes what was left out, in words (for a merge: the restore points and the history)
 */
public record ArchiveResult(boolean wholeStore, long revision, int documents, int restorePoints, long revisions,
                            Diff diff, List<String> notes) {

    /**
     * Validates the fields.
     *
     * @param wholeStore whether the archive was restored whole into an empty store (history,
     *     revision numbers and restore points included); otherwise its documents were merged into
     *     the store in one new revision
     * @param revision the store's head revision afterwards
     * @param documents how many documents the archive holds
     * @param restorePoints how many restore points were restored (0 for a merge)
     * @param revisions how many revisions were restored (0 for a merge)
     * @param diff for a merge, the changes made; empty for a whole-store restore
     * @param notes what was left out, in words (for a merge: the restore points and the history)
     */
    public ArchiveResult {
        Objects.requireNonNull(diff, "diff");
        notes = List.copyOf(notes);
    }
}
