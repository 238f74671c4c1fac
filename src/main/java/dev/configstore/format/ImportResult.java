package dev.configstore.format;

import dev.configstore.WriteResult;
import dev.configstore.history.Diff;
import java.util.Objects;

/**
 * What an import changed, or with a dry run would change.
 *
 * @param diff the changes, key by key
 * @param write the revision written; unchanged for a dry run or when nothing differed
 */
public record ImportResult(Diff diff, WriteResult write) {

    /**
     * Validates the fields.
     *
     * @param diff the changes, key by key
     * @param write the revision written; unchanged for a dry run or when nothing differed
     */
    public ImportResult {
        Objects.requireNonNull(diff, "diff");
        Objects.requireNonNull(write, "write");
    }
}
