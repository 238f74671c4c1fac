package dev.configstore.format;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.OptionalInt;

/**
 * Input that cannot be imported: malformed, hostile, too large, or not matching its manifest.
 * The message names the source and, where known, the line and column or the archive member.
 * Nothing was written when it is thrown.
 */
public final class ImportException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    /** The file or stream that was read. */
    private final String source;
    /** The line at fault, from 1, or 0 when unknown. */
    private final int line;
    /** The column at fault, from 1, or 0 when unknown. */
    private final int column;

    /**
     * Creates the exception.
     *
     * @param source the file, archive member or stream name
     * @param line the 1-based line, or 0 if unknown
     * @param column the 1-based column, or 0 if unknown
     * @param problem what is wrong
     */
    public ImportException(String source, int line, int column, String problem) {
        super(ErrorCode.INVALID_INPUT, source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "")
                + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /**
     * Returns the file, member or stream at fault.
     *
     * @return the source name
     */
    public String source() {
        return source;
    }

    /**
     * Returns the line at fault, if known.
     *
     * @return the 1-based line
     */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /**
     * Returns the column at fault, if known.
     *
     * @return the 1-based column
     */
    public OptionalInt column() {
        return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }
}
