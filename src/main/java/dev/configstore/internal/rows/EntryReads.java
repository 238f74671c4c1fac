package dev.configstore.internal.rows;

import dev.configstore.internal.db.RowDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

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
public final class EntryReads {

    /** One entry row. */
    public record Row(String document, String path, long validFrom, long validTo, String json) {
    }

    /**
     * What the choice rests on: the history floor and the head, whose distances to the revisions
     * read stand for row counts, and about how many keys the documents read have.
     */
    public record Extent(long floor, long head, long keys) {
        public static Extent of(DSLContext context, long keys) {
            return new Extent(RowSql.historyFloor(context), RowSql.head(context), Math.max(1, keys));
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
        return rows(context, document, -1, revision, RowSql.LIVE, extent);
    }

    /**
     * The rows of one document (or null: every document) with
     * {@code after < valid_from <= at < valid_to <= until}; {@code after} -1 and {@code until}
     * {@link RowSql#LIVE} leave that side open.
     */
    public static List<Row> rows(DSLContext context, String document, long after, long at, long until, Extent extent) {
        Access access = choose(after, at, until, extent);
        if (access == Access.KEY_SEEK) {
            return seekPerKey(context, document, after, at, until);
        }
        RowDialect dialect = RowDialect.of(context);
        String sql = RowSql.entryRange(dialect, access == Access.VALID_FROM_RANGE, after >= 0, until != RowSql.LIVE,
                document != null);
        return RowSql.jdbc(context, connection -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int parameter = 1;
                select.setLong(parameter++, at);
                select.setLong(parameter++, at);
                if (after >= 0) {
                    select.setLong(parameter++, after);
                }
                if (until != RowSql.LIVE) {
                    select.setLong(parameter++, until);
                }
                if (document != null) {
                    select.setString(parameter, document);
                }
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new Row(result.getString(1), result.getString(2), result.getLong(3),
                                result.getLong(4), result.getString(5)));
                    }
                }
            }
            return rows;
        });
    }

    /** The cheapest way to the rows, by the estimates the class comment describes. */
    static Access choose(long after, long at, long until, Extent extent) {
        long keys = extent.keys();
        // every row live at `at` began at or before it, and lives on past it: both ranges hold them
        long fromRows = Math.max(0, at - Math.max(after, extent.floor())) + (after < extent.floor() ? keys : 0);
        long toRows = Math.max(0, Math.min(until, extent.head()) - at) + (until == RowSql.LIVE ? keys : 0);
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
        RowDialect dialect = RowDialect.of(context);
        return RowSql.jdbc(context, connection -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement nextDocument = connection.prepareStatement(RowSql.nextEntryDocument(dialect));
                 PreparedStatement firstRow = connection.prepareStatement(RowSql.FIRST_ENTRY_FROM);
                 PreparedStatement nextKey = connection.prepareStatement(RowSql.firstEntryAfter(dialect));
                 PreparedStatement seek = connection.prepareStatement(RowSql.NEWEST_ENTRY_AT_OR_BEFORE)) {
                String current = document != null ? document : RowSql.nextDocument(nextDocument, dialect.afterValue(""));
                while (current != null) {
                    Row row = first(firstRow, current, "");
                    while (row != null) {
                        Row live = row.validFrom() > at ? null
                                : row.validTo() > at ? row : newest(seek, current, row.path(), at);
                        if (live != null && live.validTo() > at && live.validFrom() > after
                                && live.validTo() <= until) {
                            rows.add(live);
                        }
                        row = first(nextKey, current, dialect.afterValue(row.path()));
                    }
                    current = document != null ? null : RowSql.nextDocument(nextDocument, dialect.afterValue(current));
                }
            }
            return rows;
        });
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
}
