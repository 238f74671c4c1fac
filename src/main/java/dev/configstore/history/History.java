package dev.configstore.history;

import dev.configstore.ConfigStoreException;
import java.util.List;

/**
 * The store's past: diffs, per-key history, revisions, the operation log and read-only SQL.
 * Thread-safe; every call reads the database.
 */
public interface History {

    /**
     * Returns what changed in every document between two revisions.
     *
     * @param fromRevision the older revision
     * @param toRevision the newer revision
     * @return the changes, sorted by document and key
     * @throws ConfigStoreException with {@code NOT_FOUND} if a revision does not exist
     */
    Diff diff(long fromRevision, long toRevision);

    /**
     * Returns what changed in one document between two revisions.
     *
     * @param document the document
     * @param fromRevision the older revision
     * @param toRevision the newer revision
     * @return the changes, sorted by key
     * @throws ConfigStoreException with {@code NOT_FOUND} if a revision does not exist
     */
    Diff diff(String document, long fromRevision, long toRevision);

    /**
     * Returns the changes of one key and everything below it, newest first.
     *
     * @param document the document
     * @param key the key in dotted form
     * @param limit the most entries to return, at least 1
     * @return the changes
     */
    List<HistoryEntry> ofKey(String document, String key, int limit);

    /**
     * Returns the newest committed revisions, newest first.
     *
     * @param limit the most entries to return, at least 1
     * @return the revisions
     */
    List<RevisionEntry> revisions(int limit);

    /**
     * Returns the newest logged operations, newest first.
     *
     * @param limit the most entries to return, at least 1
     * @return the operations
     */
    List<OperationEntry> operations(int limit);

    /**
     * Returns the changes of one key and everything below it that match a query, newest first.
     * The time, actor and operation filters apply to the revision of each change.
     *
     * @param document the document
     * @param key the key in dotted form
     * @param query the filters and the limit
     * @return the changes
     */
    List<HistoryEntry> ofKey(String document, String key, HistoryQuery query);

    /**
     * Returns the revisions that match a query, newest first.
     *
     * @param query the filters and the limit
     * @return the revisions
     */
    List<RevisionEntry> revisions(HistoryQuery query);

    /**
     * Returns the logged operations that match a query, newest first.
     *
     * @param query the filters and the limit
     * @return the operations
     */
    List<OperationEntry> operations(HistoryQuery query);

    /**
     * Runs one read-only SQL query over the store's views and tables, as a database user that
     * may only read. Statements and functions that write (tables or files) are refused.
     *
     * @param sql one SELECT (or other read-only) statement
     * @param maxRows the most rows to return, at least 1
     * @return the rows
     * @throws ConfigStoreException with {@code INVALID_INPUT} if the query is malformed or
     *     tries to write
     */
    QueryResult query(String sql, int maxRows);

    /**
     * Physically deletes the history below the newest {@code revisions} revisions, except the
     * revisions restore points pin, which stay exactly readable and restorable; then returns
     * the freed space to the file system where the database allows it. Reading a compacted
     * revision afterwards fails with {@code NOT_FOUND}, saying it was compacted.
     *
     * @param revisions how many of the newest revisions to keep readable, at least 1
     * @return what was removed
     * @throws IllegalArgumentException if {@code revisions} is less than 1
     */
    CompactionResult compactKeepingNewest(int revisions);

    /**
     * Physically deletes the history older than an instant: every revision before the last one
     * committed at or before it, except the revisions restore points pin. The state as of the
     * instant stays readable.
     *
     * @param instant the oldest moment whose state must stay readable
     * @return what was removed
     */
    CompactionResult compactBefore(java.time.Instant instant);
}
