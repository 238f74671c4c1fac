package dev.configstore.internal.rows;

import dev.configstore.HistoryCompactedException;
import dev.configstore.internal.db.RowDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;

/**
 * The changes of a run of revisions, one revision at a time, for watches: each revision's
 * row (time, actor, message) and, per document it touched, its version row and the values
 * of every key it changed before and after. Read from the two range indexes of
 * {@code cs_entry}: a change at revision r is a row that began at r, a row that ended at r,
 * or both.
 */
public final class ChangeRows {

    /** One key of one document changed by one revision: the canonical JSON before and after, null where absent. */
    public record PathChange(String path, String oldJson, String newJson) {
    }

    /** What one revision did to one document: its version row then (null if none was written) and its keys. */
    public record DocumentChanges(String document, StoreRows.VersionRow version, List<PathChange> paths) {
    }

    /** One revision and what it did, per document (sorted by name). */
    public record RevisionChanges(long revision, OffsetDateTime committedAt, String actor, String message,
                                  String operation, Map<String, DocumentChanges> documents) {
    }

    private static final String REVISIONS = "SELECT revision, committed_at, actor, message, operation FROM cs_revision"
            + " WHERE revision > ? AND revision <= ? ORDER BY revision";

    private ChangeRows() {
    }

    /**
     * The revisions in (after, upTo], oldest first.
     *
     * @throws HistoryCompactedException if the history after {@code after} was compacted, before
     *     or while it was read: nothing is returned from a later point instead
     */
    public static List<RevisionChanges> between(DSLContext context, long after, long upTo) {
        checkFloor(context, after);
        RowDialect dialect = RowDialect.of(context);
        List<RevisionChanges> revisions = RowSql.jdbc(context, connection -> {
            Map<Long, Map<String, Map<String, String[]>>> paths = new HashMap<>();
            for (boolean began : new boolean[] {true, false}) {
                String column = began ? "valid_from" : "valid_to";
                String sql = "SELECT document, key_path, valid_from, valid_to, value_json FROM cs_entry"
                        + dialect.useIndex("cs_entry_" + column) + " WHERE " + column + " > ? AND " + column + " <= ?";
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    select.setLong(1, after);
                    select.setLong(2, upTo);
                    try (ResultSet row = select.executeQuery()) {
                        while (row.next()) {
                            long at = began ? row.getLong(3) : row.getLong(4);
                            String[] values = paths.computeIfAbsent(at, revision -> new HashMap<>())
                                    .computeIfAbsent(row.getString(1), document -> new TreeMap<>())
                                    .computeIfAbsent(row.getString(2), path -> new String[2]);
                            values[began ? 1 : 0] = row.getString(5);
                        }
                    }
                }
            }
            Map<Long, Map<String, StoreRows.VersionRow>> versions = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(RowSql.VERSIONS_BETWEEN)) {
                select.setLong(1, after);
                select.setLong(2, upTo);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        StoreRows.VersionRow version = StoreRows.versionRow(row);
                        versions.computeIfAbsent(version.revision(), revision -> new HashMap<>())
                                .put(version.document(), version);
                    }
                }
            }
            List<RevisionChanges> result = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(REVISIONS)) {
                select.setLong(1, after);
                select.setLong(2, upTo);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        long revision = row.getLong(1);
                        result.add(new RevisionChanges(revision, row.getObject(2, OffsetDateTime.class), row.getString(3),
                                row.getString(4), row.getString(5), documents(paths.getOrDefault(revision, Map.of()),
                                versions.getOrDefault(revision, Map.of()))));
                    }
                }
            }
            return result;
        });
        // a compaction that committed while the rows were read may have removed some of them
        checkFloor(context, after);
        return revisions;
    }

    /** Refuses a start below the history floor. */
    public static void checkFloor(DSLContext context, long after) {
        long floor = StoreRows.historyFloor(context);
        if (after < floor) {
            throw new HistoryCompactedException(after, floor);
        }
    }

    private static Map<String, DocumentChanges> documents(Map<String, Map<String, String[]>> paths,
                                                          Map<String, StoreRows.VersionRow> versions) {
        TreeMap<String, DocumentChanges> documents = new TreeMap<>();
        for (String document : union(paths.keySet(), versions.keySet())) {
            List<PathChange> changes = new ArrayList<>();
            paths.getOrDefault(document, Map.of()).forEach((path, values) -> {
                if (values[0] == null || !values[0].equals(values[1])) {
                    changes.add(new PathChange(path, values[0], values[1]));
                }
            });
            documents.put(document, new DocumentChanges(document, versions.get(document), changes));
        }
        return documents;
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        LinkedHashMap<String, Boolean> all = new LinkedHashMap<>();
        a.forEach(name -> all.put(name, true));
        b.forEach(name -> all.put(name, true));
        return new ArrayList<>(all.keySet());
    }
}
