package dev.configstore.internal.health;

import static dev.configstore.internal.jooq.Tables.CS_DOCUMENT_VERSION;
import static dev.configstore.internal.jooq.Tables.CS_ENTRY;

import dev.configstore.health.ChecksumMismatch;
import dev.configstore.health.VerifyProgress;
import dev.configstore.health.VerifyResult;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.rows.StoreRows;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Cursor;
import org.jooq.Record4;

/**
 * Recomputes every stored checksum from the rows. Per document it sweeps the revisions in
 * order: a row adds its digest at valid_from and subtracts it at valid_to, so the running sum
 * at each stored version is that version's checksum, without rebuilding any document.
 */
public final class Verifier {

    /** Rows between two progress reports within a document. */
    private static final int PROGRESS_EVERY = 512;

    private Verifier() {
    }

    public static VerifyResult verify(DSLContext context) {
        return verify(context, null);
    }

    /**
     * Recomputes, for every document that exists at head, the checksum and key count of its
     * live rows: a quick sample of integrity (only the head) for the health check.
     */
    static List<ChecksumMismatch> verifyHead(DSLContext context) {
        long head = StoreRows.head(context);
        List<ChecksumMismatch> mismatches = new ArrayList<>();
        Map<String, BigInteger> sums = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        context.select(CS_ENTRY.DOCUMENT, CS_ENTRY.KEY_PATH, CS_ENTRY.VALUE_JSON).from(CS_ENTRY)
                .where(CS_ENTRY.VALID_TO.eq(StoreRows.LIVE))
                .forEach(row -> {
                    sums.merge(row.value1(), Json.leafDigest(row.value2(), row.value3()), Json::add);
                    counts.merge(row.value1(), 1, Integer::sum);
                });
        for (var version : StoreRows.latestVersions(context, head, null).values()) {
            if (version.deleted()) {
                continue;
            }
            String document = version.document();
            String actual = Json.formatChecksum(sums.getOrDefault(document, BigInteger.ZERO));
            int count = counts.getOrDefault(document, 0);
            if (!actual.equals(version.checksum()) || count != version.keyCount()) {
                mismatches.add(new ChecksumMismatch(document, version.revision(), version.checksum(), actual,
                        count != version.keyCount() ? "key count " + count + ", stored " + version.keyCount() : ""));
            }
        }
        return mismatches;
    }

    public static VerifyResult verify(DSLContext context, VerifyProgress progress) {
        long head = StoreRows.head(context);
        List<ChecksumMismatch> mismatches = new ArrayList<>();
        long versions = 0;
        long rows = 0;
        List<String> documents = context.selectDistinct(CS_DOCUMENT_VERSION.DOCUMENT).from(CS_DOCUMENT_VERSION)
                .orderBy(CS_DOCUMENT_VERSION.DOCUMENT).fetch(CS_DOCUMENT_VERSION.DOCUMENT);
        VerifyProgress told = progress == null ? (done, total, document) -> { } : progress;
        long total = progress == null ? 0 : context.fetchCount(CS_ENTRY);
        for (String document : documents) {
            // revision -> {digest change, key count change}
            TreeMap<Long, BigInteger> digestChanges = new TreeMap<>();
            TreeMap<Long, Integer> countChanges = new TreeMap<>();
            Map<Long, String> unreadable = new TreeMap<>();
            try (Cursor<Record4<String, Long, Long, String>> cursor = context
                    .select(CS_ENTRY.KEY_PATH, CS_ENTRY.VALID_FROM, CS_ENTRY.VALID_TO, CS_ENTRY.VALUE_JSON)
                    .from(CS_ENTRY).where(CS_ENTRY.DOCUMENT.eq(document)).fetchLazy()) {
                for (Record4<String, Long, Long, String> row : cursor) {
                    rows++;
                    if (rows % PROGRESS_EVERY == 0) {
                        told.rowsChecked(rows, total, document);
                    }
                    check(row, digestChanges, countChanges, unreadable);
                }
            }
            BigInteger sum = BigInteger.ZERO;
            int count = 0;
            var changes = digestChanges.entrySet().iterator();
            var next = changes.hasNext() ? changes.next() : null;
            for (var version : context.selectFrom(CS_DOCUMENT_VERSION).where(CS_DOCUMENT_VERSION.DOCUMENT.eq(document))
                    .orderBy(CS_DOCUMENT_VERSION.REVISION).fetch()) {
                versions++;
                while (next != null && next.getKey() <= version.getRevision()) {
                    sum = Json.add(sum, next.getValue());
                    count += countChanges.get(next.getKey());
                    next = changes.hasNext() ? changes.next() : null;
                }
                String actual = version.getDeleted() ? Json.EMPTY_CHECKSUM : Json.formatChecksum(sum);
                int actualCount = version.getDeleted() ? 0 : count;
                List<String> details = new ArrayList<>();
                if (actualCount != version.getKeyCount()) {
                    details.add("key count " + actualCount + ", stored " + version.getKeyCount());
                }
                if (version.getDeleted() && count != 0) {
                    details.add(count + " rows still live after the delete");
                }
                String problem = unreadable.get(version.getRevision());
                if (problem != null) {
                    details.add(problem);
                }
                if (!actual.equals(version.getChecksum()) || !details.isEmpty()) {
                    mismatches.add(new ChecksumMismatch(document, version.getRevision(), version.getChecksum(), actual,
                            String.join("; ", details)));
                }
            }
            told.rowsChecked(rows, total, document);
        }
        return new VerifyResult(head, versions, rows, mismatches);
    }

    /** Adds one row's digest and key count at its first revision and takes them off at its last. */
    private static void check(Record4<String, Long, Long, String> row, TreeMap<Long, BigInteger> digestChanges,
                              TreeMap<Long, Integer> countChanges, Map<Long, String> unreadable) {
        String json = row.value4();
        String canonical;
        try {
            canonical = Json.canonical(Json.parse(json, "value"));
        } catch (RuntimeException e) {
            canonical = json;
            unreadable.put(row.value2(), "unreadable value at key " + row.value1());
        }
        if (!canonical.equals(json)) {
            unreadable.putIfAbsent(row.value2(), "value at key " + row.value1() + " is not in canonical form");
        }
        BigInteger digest = Json.leafDigest(row.value1(), json);
        digestChanges.merge(row.value2(), digest, Json::add);
        countChanges.merge(row.value2(), 1, Integer::sum);
        if (row.value3() != StoreRows.LIVE) {
            digestChanges.merge(row.value3(), digest.negate(), Json::add);
            countChanges.merge(row.value3(), -1, Integer::sum);
        }
    }
}
