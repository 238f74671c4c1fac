package dev.configstore.format;

/**
 * How a document import treats its input and the document. Immutable; start from
 * {@link #merge()} or {@link #replacing()} and change one setting at a time.
 *
 * @param replace replace the document (after an automatic restore point) instead of merging
 *     the file onto it
 * @param dryRun compute the changes and write nothing
 * @param allowEmpty accept input that holds no document (an empty file, only whitespace, a YAML
 *     file without a document, a TOML, INI or .properties file without a key) as an empty
 *     document; refused by default, since an empty file is what an interrupted write leaves
 */
public record ImportOptions(boolean replace, boolean dryRun, boolean allowEmpty) {

    /**
     * Merges the file onto the document, writes, refuses empty input.
     *
     * @return the default options
     */
    public static ImportOptions merge() {
        return new ImportOptions(false, false, false);
    }

    /**
     * Replaces the document with the file, writes, refuses empty input.
     *
     * @return options that replace
     */
    public static ImportOptions replacing() {
        return new ImportOptions(true, false, false);
    }

    /**
     * Returns these options with the dry run set.
     *
     * @param value whether to write nothing
     * @return the changed options
     */
    public ImportOptions withDryRun(boolean value) {
        return new ImportOptions(replace, value, allowEmpty);
    }

    /**
     * Returns these options with empty input accepted or refused.
     *
     * @param value whether empty input imports as an empty document
     * @return the changed options
     */
    public ImportOptions withAllowEmpty(boolean value) {
        return new ImportOptions(replace, dryRun, value);
    }
}
