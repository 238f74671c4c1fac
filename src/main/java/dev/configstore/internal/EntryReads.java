package dev.configstore.internal;

import static dev.configstore.internal.jooq.Tables.CS_ENTRY;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Finds entry rows by revision without reading the whole history. Every read the store makes
 * by revision asks for the rows that were live at one revision {@code at}, bounded on either
 * side: {@code after < valid_from <= at < valid_to <= until}. Three ways answer that:
 * <ul>
 * <li>a range of the valid_from index, {@code (after, at]}: cheap when {@code at} is old;
 * <li>a range of the valid_to index, {@code (at, until]}: cheap when {@code at} is recent or the
 *     window up to {@code until} is short;
 * <li>one seek per key on the primary key (document, key_path, valid_from): the newest row of
 *     each key that began at or before {@code at}. Its cost follows the number of keys, not the
 *     length of the history, so it serves a revision deep inside a long history.
 * </ul>
 * The cheapest is chosen from revision distances, taking about one entry row per revision, and
 * forced with an index hint on H2, whose planner cannot tell the two ranges apart (it was seen
 * to scan a million rows for 200). PostgreSQL plans the ranges itself from its statistics.
 */
final class EntryReads {

    /** One entry row. */
    record Row(String document, String path, long validFrom, long validTo, String json) {
    }

    /**
     * What the choice rests on: the history floor and the head, whose distances to the revisions
     * read stand for row counts, and about how many keys the documents read have.
     */
    record Extent(long floor, long head, long keys) {
        static Extent of(DSLContext context, long keys) {
            return new Extent(StoreRows.historyFloor(context), StoreRows.head(context), Math.max(1, keys));
        }
    }

    enum Access { VALID_FROM_RANGE, VALID_TO_RANGE, KEY_SEEK }

    /**
     * A seek per key costs about as much as reading this many rows of a range: two short
     * queries per key against a few microseconds per row (measured on H2).
     */
    static final long ROWS_PER_SEEK = 30;

    /** Below this many rows a range is always taken: the seek per key has a fixed cost too. */
    private static final long SMALL_RANGE = 2_000;

    private EntryReads() {
    }

    /** The rows live at {@code revision}, of one document or (null) of every document. */
    static List<Row> liveAt(DSLContext context, String document, long revision, Extent extent) {
        return rows(context, document, -1, revision, StoreRows.LIVE, extent);
    }

    /**
     * The rows of one document (or null: every document) with
     * {@code after < valid_from <= at < valid_to <= until}; {@code after} -1 and {@code until}
     * {@link StoreRows#LIVE} leave that side open.
     */
    static List<Row> rows(DSLContext context, String document, long after, long at, long until, Extent extent) {
        Access access = choose(after, at, until, extent);
        if (access == Access.KEY_SEEK) {
            return seekPerKey(context, document, after, at, until);
        }
        Condition where = CS_ENTRY.VALID_FROM.le(at).and(CS_ENTRY.VALID_TO.gt(at));
        if (after >= 0) {
            where = where.and(CS_ENTRY.VALID_FROM.gt(after));
        }
        if (until != StoreRows.LIVE) {
            where = where.and(CS_ENTRY.VALID_TO.le(until));
        }
        if (document != null) {
            where = where.and(CS_ENTRY.DOCUMENT.eq(document));
        }
        Table<?> table = CS_ENTRY;
        if (context.dialect() == SQLDialect.H2) {
            table = CS_ENTRY.useIndex(access == Access.VALID_FROM_RANGE ? "cs_entry_valid_from" : "cs_entry_valid_to");
        }
        List<Row> rows = new ArrayList<>();
        try (ResultSet result = context.select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM,
                CS_ENTRY.VALID_TO, CS_ENTRY.VALUE_JSON).from(table).where(where).fetchResultSet()) {
            while (result.next()) {
                rows.add(new Row(result.getString(1), result.getString(2), result.getLong(3), result.getLong(4),
                        result.getString(5)));
            }
        } catch (SQLException e) {
            throw new DataAccessException(e.getMessage(), e);
        }
        return rows;
    }

    /** The cheapest way to the rows, by the estimates the class comment describes. */
    static Access choose(long after, long at, long until, Extent extent) {
        long keys = extent.keys();
        // every row live at `at` began at or before it, and lives on past it: both ranges hold them
        long fromRows = Math.max(0, at - Math.max(after, extent.floor())) + (after < extent.floor() ? keys : 0);
        long toRows = Math.max(0, Math.min(until, extent.head()) - at) + (until == StoreRows.LIVE ? keys : 0);
        long range = Math.min(fromRows, toRows);
        if (range > SMALL_RANGE && range > ROWS_PER_SEEK * keys) {
            return Access.KEY_SEEK;
        }
        return fromRows <= toRows ? Access.VALID_FROM_RANGE : Access.VALID_TO_RANGE;
    }

    /**
     * Walks the keys of the primary key in order, one short query each, and for every key takes
     * the newest row that began at or before {@code at} (the first row of a key answers on its
     * own when the key began after {@code at} or its first value is the one sought).
     */
    private static List<Row> seekPerKey(DSLContext context, String document, long after, long at, long until) {
        SeekSql sql = SeekSql.of(context);
        return context.connectionResult(connection -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement nextDocument = connection.prepareStatement(sql.nextDocument);
                 PreparedStatement firstRow = connection.prepareStatement(sql.firstRowFrom);
                 PreparedStatement nextKey = connection.prepareStatement(sql.firstRowAfter);
                 PreparedStatement seek = connection.prepareStatement(sql.newestAtOrBefore)) {
                String current = document != null ? document : next(nextDocument, "");
                while (current != null) {
                    Row row = first(firstRow, current, "");
                    while (row != null) {
                        Row live = row.validFrom() > at ? null
                                : row.validTo() > at ? row : newest(seek, current, row.path(), at);
                        if (live != null && live.validTo() > at && live.validFrom() > after
                                && live.validTo() <= until) {
                            rows.add(live);
                        }
                        row = first(nextKey, current, sql.after(row.path()));
                    }
                    current = document != null ? null : next(nextDocument, sql.after(current));
                }
            } catch (SQLException e) {
                throw new DataAccessException(e.getMessage(), e);
            }
            return rows;
        });
    }

    private static String next(PreparedStatement nextDocument, String after) throws SQLException {
        nextDocument.setString(1, after);
        try (ResultSet result = nextDocument.executeQuery()) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static Row first(PreparedStatement statement, String document, String path) throws SQLException {
        statement.setString(1, document);
        statement.setString(2, path);
        return row(statement, document);
    }

    private static Row newest(PreparedStatement seek, String document, String path, long at) throws SQLException {
        seek.setString(1, document);
        seek.setString(2, path);
        seek.setLong(3, at);
        return row(seek, document);
    }

    private static Row row(PreparedStatement statement, String document) throws SQLException {
        try (ResultSet result = statement.executeQuery()) {
            return result.next() ? new Row(document, result.getString(1), result.getLong(2), result.getLong(3),
                    result.getString(4)) : null;
        }
    }

    /**
     * The seek queries, rendered once per dialect; each reads at most one row in index order.
     * "The next key after k" is asked as {@code >= after(k)}: H2 starts a {@code > k} scan at the
     * first row of k and steps over all of k's rows (5,000 of them for one key of the benchmark
     * took 10 ms), while {@code >=} a string just above k starts right after them. PostgreSQL,
     * which seeks past k itself and whose text cannot hold U+0000, asks {@code > k}.
     */
    private record SeekSql(boolean successor, String nextDocument, String firstRowFrom, String firstRowAfter,
                           String newestAtOrBefore) {

        private static final Map<SQLDialect, SeekSql> RENDERED = new ConcurrentHashMap<>();

        static SeekSql of(DSLContext context) {
            return RENDERED.computeIfAbsent(context.dialect(), dialect -> render(context));
        }

        /** What to bind for "after this key". */
        String after(String key) {
            return successor ? StoreRows.successor(key) : key;
        }

        private static SeekSql render(DSLContext context) {
            boolean successor = context.dialect() == SQLDialect.H2;
            var columns = List.of(CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALID_TO, CS_ENTRY.VALUE_JSON);
            return new SeekSql(successor,
                    context.render(context.select(CS_ENTRY.DOCUMENT).from(CS_ENTRY)
                            .where(successor ? CS_ENTRY.DOCUMENT.ge((String) null) : CS_ENTRY.DOCUMENT.gt((String) null))
                            .orderBy(CS_ENTRY.DOCUMENT).limit(DSL.inline(1))),
                    context.render(context.select(columns).from(CS_ENTRY)
                            .where(CS_ENTRY.DOCUMENT.eq((String) null)).and(CS_ENTRY.KEY_PATH.ge((String) null))
                            .orderBy(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM)
                            .limit(DSL.inline(1))),
                    context.render(context.select(columns).from(CS_ENTRY)
                            .where(CS_ENTRY.DOCUMENT.eq((String) null))
                            .and(successor ? CS_ENTRY.KEY_PATH.ge((String) null) : CS_ENTRY.KEY_PATH.gt((String) null))
                            .orderBy(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM)
                            .limit(DSL.inline(1))),
                    // every column of the key descending, or H2 sorts the key's rows instead of
                    // reading the index backwards
                    context.render(context.select(columns).from(CS_ENTRY)
                            .where(CS_ENTRY.DOCUMENT.eq((String) null)).and(CS_ENTRY.KEY_PATH.eq((String) null))
                            .and(CS_ENTRY.VALID_FROM.le((Long) null))
                            .orderBy(CS_ENTRY.DOCUMENT.desc(), CS_ENTRY.KEY_PATH.desc(), CS_ENTRY.VALID_FROM.desc())
                            .limit(DSL.inline(1))));
        }
    }
}
