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

    /** The timeout of {@link #query(String, int)}: 5 seconds. */
    java.time.Duration DEFAULT_QUERY_TIMEOUT = java.time.Duration.ofSeconds(5);

    /** The most rows a query may return: 1,000,000. */
    int MAX_QUERY_ROWS = 1_000_000;

    /**
     * Runs one read-only SQL query over the store's views and tables with the default timeout;
     * see {@link #query(String, int, java.time.Duration)}.
     *
     * @param sql one query
     * @param maxRows the most rows to return, 1 to {@value #MAX_QUERY_ROWS}
     * @return the rows
     * @throws ConfigStoreException with {@code INVALID_INPUT} if the query is refused, fails or
     *     runs past the timeout
     */
    default QueryResult query(String sql, int maxRows) {
        return query(sql, maxRows, DEFAULT_QUERY_TIMEOUT);
    }

    /**
     * Runs one read-only SQL query over the store's views and tables. The text must be one
     * statement that only reads (SELECT, WITH, VALUES, TABLE, EXPLAIN without ANALYZE, SHOW),
     * without row locks; it is checked before anything reaches the database, then runs as a
     * database user that may only read (no file functions, no writes), on a connection of its
     * own in a read-only transaction, and is cancelled after {@code timeout}.
     *
     * @param sql one query
     * @param maxRows the most rows to return, 1 to {@value #MAX_QUERY_ROWS}
     * @param timeout how long the query may run, 1 second to 1 hour
     * @return the rows
     * @throws ConfigStoreException with {@code INVALID_INPUT} if the query is refused (nothing
     *     ran), fails or runs past the timeout (nothing was changed), {@code STORE_UNAVAILABLE}
     *     if the read-only user cannot be set up or connect
     * @throws IllegalArgumentException if {@code maxRows} or {@code timeout} is out of range
     */
    QueryResult query(String sql, int maxRows, java.time.Duration timeout);

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
    default CompactionResult compactKeepingNewest(int revisions) {
        return compactKeepingNewest(revisions, CompactionProgress.NONE);
    }

    /**
     * Like {@link #compactKeepingNewest(int)}, telling {@code progress} how far it has come.
     *
     * @param revisions how many of the newest revisions to keep readable, at least 1
     * @param progress told after each batch of deletes
     * @return what was removed
     * @throws IllegalArgumentException if {@code revisions} is less than 1
     */
    CompactionResult compactKeepingNewest(int revisions, CompactionProgress progress);

    /**
     * Physically deletes the history older than an instant: every revision before the last one
     * committed at or before it, except the revisions restore points pin. The state as of the
     * instant stays readable.
     *
     * @param instant the oldest moment whose state must stay readable
     * @return what was removed
     */
    default CompactionResult compactBefore(java.time.Instant instant) {
        return compactBefore(instant, CompactionProgress.NONE);
    }

    /**
     * Like {@link #compactBefore(java.time.Instant)}, telling {@code progress} how far it has come.
     *
     * @param instant the oldest moment whose state must stay readable
     * @param progress told after each batch of deletes
     * @return what was removed
     */
    CompactionResult compactBefore(java.time.Instant instant, CompactionProgress progress);
}
