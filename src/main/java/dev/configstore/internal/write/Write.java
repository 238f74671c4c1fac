package dev.configstore.internal.write;

/**
 * One revision to write: the operation's name for the log, the document it is about (null
 * for several), the message, the expected head ({@code -1}: any) and the automatic restore
 * point to make first (null: none).
 */
public record Write(String operation, String logDocument, String message, long expectedRevision,
             AutomaticPoint automaticPoint) {
}
