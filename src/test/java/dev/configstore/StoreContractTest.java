package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.health.VerifyResult;
import dev.configstore.history.ChangeKind;
import dev.configstore.history.Diff;
import dev.configstore.history.HistoryEntry;
import dev.configstore.history.HistoryQuery;
import dev.configstore.history.KeyChange;
import dev.configstore.history.OperationEntry;
import dev.configstore.history.QueryResult;
import dev.configstore.history.RevisionEntry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's contract, written once and run on every backend.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class StoreContractTest {

    @RegisterExtension
    final StoreExtension extension;

    StoreContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create());
    }

    StoreExtension extension() {
        return extension;
    }

    ConfigStore store() {
        return extension().store();
    }

    static JsonNode json(String text) {
        return StoreAssertions.json(text);
    }

    @Test
    void history_beforeRevision_pagesBackwardsThroughRevisionsAndAKeysChanges() {
        ConfigStore store = store();
        store.put("a", 1);    // 1
        store.put("a", 2);    // 2
        store.put("b", 1);    // 3
        store.unset("a");     // 4
        store.put("a", 3);    // 5
        store.put("b", 2);    // 6

        assertThat(store.history().revisions(HistoryQuery.newest(2).beforeRevision(5)))
                .extracting(RevisionEntry::revision).containsExactly(4L, 3L);
        assertThat(store.history().revisions(HistoryQuery.newest(5).beforeRevision(1))).isEmpty();
        assertThat(store.history().ofKey("current", "a", HistoryQuery.newest(10).beforeRevision(5)))
                .extracting(entry -> entry.revision().revision() + " " + entry.change().kind())
                .containsExactly("4 REMOVED", "2 CHANGED", "1 ADDED");
        assertThat(store.history().ofKey("current", "a", HistoryQuery.newest(1).beforeRevision(4)))
                .extracting(entry -> entry.revision().revision()).containsExactly(2L);
        List<HistoryEntry> all = store.history().ofKey("current", "a", 100);
        List<HistoryEntry> paged = new java.util.ArrayList<>();
        HistoryQuery page = HistoryQuery.newest(2);
        for (List<HistoryEntry> entries = store.history().ofKey("current", "a", page); !entries.isEmpty();
             entries = store.history().ofKey("current", "a", page)) {
            paged.addAll(entries);
            page = page.beforeRevision(entries.get(entries.size() - 1).revision().revision());
        }
        assertThat(paged).isEqualTo(all).hasSize(4);
        assertThatThrownBy(() -> HistoryQuery.newest(1).beforeRevision(0)).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("first revision is 1");

        // a revision that changed three keys below one is never split between pages
        store.batch().set("current", "c.x", 1).set("current", "c.y", 1).set("current", "c.z", 1).commit(); // 7
        store.put("c.x", 2);                                                                                // 8
        assertThat(store.history().ofKey("current", "c", HistoryQuery.newest(2)))
                .extracting(entry -> entry.revision().revision() + " " + entry.change().key())
                .containsExactly("8 c.x", "7 c.x", "7 c.y", "7 c.z");
        assertThat(store.history().ofKey("current", "c", HistoryQuery.newest(1).beforeRevision(8))).hasSize(3);
        assertThat(store.history().ofKey("current", "c", HistoryQuery.newest(1).actor("tester").beforeRevision(8)))
                .hasSize(3);
    }

    @Test
    void put_newKey_isReadableAtHeadAndAfterReopen() {
        WriteResult result = store().put("vision.camera.device_id", 1);

        assertThat(result.changed()).isTrue();
        assertThat(result.revision()).isEqualTo(1);
        assertThat(store().revision()).isEqualTo(1);
        assertThat(store().find("vision.camera.device_id")).contains(json("1"));
        assertThat(store().find("vision.camera")).contains(json("{\"device_id\":1}"));

        ConfigStore reopened = extension().reopen();
        assertThat(reopened.revision()).isEqualTo(1);
        assertThat(reopened.find("vision.camera.device_id")).contains(json("1"));
    }

    @Test
    void put_sameValueTwice_makesNoSecondRevision() {
        store().put("api.port", 8080);
        WriteResult again = store().put("api.port", 8080);

        assertThat(again.changed()).isFalse();
        assertThat(again.revision()).isEqualTo(1);
        assertThat(store().history().revisions(10)).hasSize(1);
    }

    @Test
    void batch_severalDocuments_commitsOneRevision() {
        WriteResult result = store().batch()
                .set("current", "api.port", 8080)
                .set("current", "api.host", "localhost")
                .set("table-3", "projector.fullscreen", false)
                .message("initial settings")
                .commit();

        assertThat(result.revision()).isEqualTo(1);
        assertThat(result.keysChanged()).isEqualTo(3);
        assertThat(store().find("table-3", "projector.fullscreen")).contains(json("false"));
        assertThat(store().list()).extracting(DocumentInfo::name).containsExactly("current", "table-3");
        assertThat(store().history().revisions(5).get(0).message()).contains("initial settings");
    }

    @Test
    void batch_failingChange_writesNothing() {
        store().put("a", 1);

        assertThatThrownBy(() -> store().batch().set("current", "b", 2).unset("current", "missing").commit())
                .isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("key 'missing' is not in document 'current'")
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(store().revision()).isEqualTo(1);
        assertThat(store().find("b")).isEmpty();
    }

    @Test
    void set_objectOverScalar_andScalarOverObject_replaceWholeSubtrees() {
        store().put("a", 5);
        store().put("a.b", "x");
        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json("{\"a\":{\"b\":\"x\"}}"));

        store().put("a", json("[1,2]"));
        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json("{\"a\":[1,2]}"));

        store().put("a", json("{}"));
        store().put("c.d", json("{\"e\":null}"));
        assertThat(store().document("current").orElseThrow().tree())
                .isEqualTo(json("{\"a\":{},\"c\":{\"d\":{\"e\":null}}}"));
        assertThat(store().find("c.d.e")).contains(json("null"));
    }

    @Test
    void remove_lastChild_leavesEmptyParentObject() {
        store().put("a.b", 1);
        store().unset("current", "a.b");

        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json("{\"a\":{}}"));
    }

    @Test
    void escapedDotInKey_isOneSegment() {
        store().put("hosts.db\\.example\\.com.port", 5432);

        assertThat(store().document("current").orElseThrow().tree())
                .isEqualTo(json("{\"hosts\":{\"db.example.com\":{\"port\":5432}}}"));
        assertThat(store().find("hosts.db\\.example\\.com.port")).contains(json("5432"));
        assertThat(store().find("hosts.db")).isEmpty();
    }

    @Test
    void document_atPastRevision_isExactlyThatState() {
        store().put("a", 1);
        store().put("b", 2);
        store().put("a", 3);
        store().unset("current", "b");

        assertThat(store().document("current", 2).orElseThrow().tree()).isEqualTo(json("{\"a\":1,\"b\":2}"));
        assertThat(store().document("current", 3).orElseThrow().tree()).isEqualTo(json("{\"a\":3,\"b\":2}"));
        assertThat(store().document("current", 4).orElseThrow().tree()).isEqualTo(json("{\"a\":3}"));
        assertThat(store().document("current", 0)).isEmpty();
        assertThat(store().findAt("current", "b", 2)).contains(json("2"));
    }

    /**
     * Reads by revision go three ways (a range of valid_from, a range of valid_to, a seek per
     * key); a history of 4,100 one-key revisions over three keys, one of them removed and put
     * back now and then, makes each of them serve some of these reads.
     */
    @Test
    void readsByRevision_ofALongHistory_areExactlyWhatWasWritten() {
        ConfigStore store = extension().reopen(builder -> builder.durability(Durability.PROCESS));
        List<Map<String, Integer>> states = new ArrayList<>();
        states.add(Map.of()); // revision 0
        Map<String, Integer> state = new java.util.TreeMap<>();
        for (int i = 1; i <= 4_100; i++) {
            String key = "k" + i % 3;
            if (i % 250 == 0 && state.containsKey("k2")) {
                store.unset("current", "k2");
                state.remove("k2");
            } else {
                store.put(key, i);
                state.put(key, i);
            }
            states.add(Map.copyOf(state));
        }
        assertThat(store.revision()).isEqualTo(4_100);

        for (long revision : List.of(1L, 2L, 250L, 251L, 1_999L, 2_050L, 2_250L, 3_333L, 4_000L, 4_099L, 4_100L)) {
            assertThat(store.document("current", revision).orElseThrow().tree()).as("revision %d", revision)
                    .isEqualTo(StoreAssertions.tree(states.get((int) revision)));
        }
        long[][] pairs = {{1, 4_100}, {100, 4_000}, {1_000, 3_000}, {2_000, 2_010}, {2_249, 2_251}, {3_000, 1_000},
                {2_050, 4_100}, {4_100, 2_050}, {4_100, 0}};
        for (long[] pair : pairs) {
            Map<String, Integer> from = states.get((int) pair[0]);
            Map<String, Integer> to = states.get((int) pair[1]);
            List<KeyChange> expected = new ArrayList<>();
            for (String key : new java.util.TreeSet<>(java.util.Set.of("k0", "k1", "k2"))) {
                Integer before = from.get(key);
                Integer after = to.get(key);
                if (!java.util.Objects.equals(before, after)) {
                    expected.add(new KeyChange("current", ConfigKey.parse(key), before == null ? ChangeKind.ADDED
                            : after == null ? ChangeKind.REMOVED : ChangeKind.CHANGED,
                            Optional.ofNullable(before).map(StoreAssertions::tree), Optional.ofNullable(after).map(StoreAssertions::tree)));
                }
            }
            assertThat(store.history().diff("current", pair[0], pair[1]).changes()).as("diff %d..%d", pair[0], pair[1])
                    .isEqualTo(expected);
        }
        List<HistoryEntry> k2 = store.history().ofKey("current", "k2", 4);
        assertThat(k2).extracting(entry -> entry.revision().revision()).containsExactly(4_100L, 4_097L, 4_094L, 4_091L);
        assertThat(k2.get(0).change().oldValue()).contains(json("4097"));
        assertThat(store.history().ofKey("current", "k2", HistoryQuery.newest(3).actor("tester"))).isEqualTo(k2.subList(0, 3));
        assertThat(store.history().ofKey("current", "k2", HistoryQuery.newest(3).actor("nobody"))).isEmpty();
        assertThat(store.history().ofKey("current", "k2", 10_000))
                .filteredOn(entry -> entry.change().kind() == ChangeKind.REMOVED)
                .extracting(entry -> entry.revision().revision())
                .containsExactly(4_000L, 3_750L, 3_500L, 3_250L, 3_000L, 2_750L, 2_500L, 2_250L, 2_000L, 1_750L, 1_500L,
                        1_250L, 1_000L, 750L, 500L, 250L);
    }

    @Test
    void unknownRevision_isNotFound() {
        store().put("a", 1);

        assertThatThrownBy(() -> store().document("current", 7))
                .isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("revision 7 does not exist")
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> store().history().diff(0, 9))
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void diff_reportsAddedRemovedAndChangedWithBothValues() {
        store().put("keep", 1);
        store().put("change", "old");
        store().put("remove", true);
        long before = store().revision();
        store().batch().set("current", "change", "new").unset("current", "remove").set("current", "add", 4).commit();
        store().put("change", "newer");

        Diff diff = store().history().diff("current", before, store().revision());

        assertThat(diff.changes()).containsExactly(
                new KeyChange("current", ConfigKey.parse("add"), ChangeKind.ADDED, Optional.empty(), Optional.of(json("4"))),
                new KeyChange("current", ConfigKey.parse("change"), ChangeKind.CHANGED, Optional.of(json("\"old\"")),
                        Optional.of(json("\"newer\""))),
                new KeyChange("current", ConfigKey.parse("remove"), ChangeKind.REMOVED, Optional.of(json("true")),
                        Optional.empty()));
        assertThat(store().history().diff(before, before).isEmpty()).isTrue();
    }

    @Test
    void keyHistory_listsEveryChangeNewestFirst() {
        store().put("api.port", 8000);
        store().put("other", 1);
        store().put("api.port", 8001);
        store().unset("current", "api.port");
        store().put("api.port", 8002);

        List<HistoryEntry> history = store().history().ofKey("current", "api.port", 10);

        assertThat(history).extracting(entry -> entry.revision().revision()).containsExactly(5L, 4L, 3L, 1L);
        assertThat(history).extracting(entry -> entry.change().kind())
                .containsExactly(ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.CHANGED, ChangeKind.ADDED);
        assertThat(history.get(2).change().oldValue()).contains(json("8000"));
        assertThat(history.get(0).revision().actor()).isEqualTo("tester");
        assertThat(store().history().ofKey("current", "api", 2)).hasSize(2);
    }

    @Test
    void expectedRevision_stale_failsWithConflictAndWritesNothing() {
        store().put("a", 1);
        long seen = store().revision();
        store().put("a", 2);

        assertThatThrownBy(() -> store().batch().set("current", "a", 3).expectRevision(seen).commit())
                .isInstanceOfSatisfying(VersionConflictException.class, conflict -> {
                    assertThat(conflict.expectedRevision()).isEqualTo(seen);
                    assertThat(conflict.actualRevision()).isEqualTo(2);
                });
        assertThat(store().find("a")).contains(json("2"));
        assertThat(store().revision()).isEqualTo(2);
        assertThat(store().history().operations(1).get(0).outcome()).isEqualTo("CONFLICT");
    }

    @Test
    void expectedRevision_otherDocumentChanged_doesNotConflict() {
        store().put("a", 1);
        long seen = store().revision();
        store().put("other", "x", 1);

        WriteResult result = store().batch().set("current", "a", 2).expectRevision(seen).commit();

        assertThat(result.changed()).isTrue();
    }

    @Test
    void typedRead_andRecordBinding() {
        record Camera(int deviceId, String name, List<Integer> resolution) {
        }
        store().put("vision.camera", Map.of("deviceId", 2, "name", "overhead", "resolution", List.of(1920, 1080)));

        assertThat(store().find("vision.camera.deviceId", Integer.class)).contains(2);
        assertThat(store().find("vision.camera", Camera.class))
                .contains(new Camera(2, "overhead", List.of(1920, 1080)));
        assertThatThrownBy(() -> store().find("vision.camera.name", Integer.class))
                .hasMessageContaining("key 'vision.camera.name' of document 'current' holds \"overhead\"")
                .hasMessageContaining("Integer");
    }

    @Test
    void delete_document_goesFromListButHistoryStays() {
        store().put("dev", "a", 1);
        store().delete("dev");

        assertThat(store().document("dev")).isEmpty();
        assertThat(store().list()).isEmpty();
        assertThat(store().document("dev", 1).orElseThrow().tree()).isEqualTo(json("{\"a\":1}"));
        assertThatThrownBy(() -> store().delete("dev"))
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void verify_cleanStore_hasNoMismatch() {
        store().put("a", 1);
        store().batch().set("current", "b", json("{\"c\":[1,2]}")).replace("x", json("{\"y\":1}")).commit();
        store().delete("x");

        VerifyResult result = store().health().verify();

        assertThat(result.isClean()).isTrue();
        assertThat(result.versionsChecked()).isEqualTo(4);
    }

    @Test
    void verify_rowChangedBehindTheStoresBack_reportsDocumentAndRevisions() throws SQLException {
        store().put("a", 1);
        store().put("b", 2);
        try (Connection connection = extension().backend().adminConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.executeUpdate("UPDATE cs_entry SET value_json = '99' WHERE key_path = 'a'");
        }

        VerifyResult result = store().health().verify();

        assertThat(result.mismatches()).extracting(mismatch -> mismatch.document() + "@" + mismatch.revision())
                .containsExactly("current@1", "current@2");
    }

    @Test
    void operationLog_recordsSuccessesAndFailures() {
        store().put("a", 1);
        assertThatThrownBy(() -> store().unset("current", "nope")).isInstanceOf(ConfigStoreException.class);

        List<OperationEntry> operations = store().history().operations(10);

        assertThat(operations).extracting(OperationEntry::operation).containsExactly("unset", "set");
        assertThat(operations.get(0).outcome()).isEqualTo("NOT_FOUND");
        assertThat(operations.get(0).error().orElseThrow()).contains("nope");
        assertThat(operations.get(0).revision()).isEmpty();
        assertThat(operations.get(1).revision().getAsLong()).isEqualTo(1);
        assertThat(operations.get(1).actor()).isEqualTo("tester");
    }

    @Test
    void sqlView_configChanges_showsEveryKeyChange() {
        store().put("a", 1);
        store().put("a", 2);
        store().unset("current", "a");

        QueryResult rows = store().history().query("SELECT revision, document, key_path, change_kind, old_value, new_value"
                + " FROM config_changes ORDER BY revision", 100);

        assertThat(rows.columns()).containsExactly("revision", "document", "key_path", "change_kind", "old_value",
                "new_value");
        assertThat(rows.rows()).containsExactly(
                java.util.Arrays.asList("1", "current", "a", "ADDED", null, "1"),
                java.util.Arrays.asList("2", "current", "a", "CHANGED", "1", "2"),
                java.util.Arrays.asList("3", "current", "a", "REMOVED", "2", null));
    }

    @Test
    void sql_writeStatement_isRefusedAndChangesNothing() {
        store().put("a", 1);

        assertThatThrownBy(() -> store().history().query("DELETE FROM cs_entry", 10))
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(store().refresh()).isEqualTo(1);
        assertThat(store().health().verify().isClean()).isTrue();
        assertThat(store().document("current", 1).orElseThrow().tree()).isEqualTo(json("{\"a\":1}"));
    }

    @Test
    void storeWrittenByNewerSchema_isRefused_andLeftAsItWas() throws SQLException {
        store().put("a", 1);
        try (Connection connection = extension().backend().adminConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.executeUpdate("INSERT INTO \"configstore_schema_history\" (\"installed_rank\", \"version\","
                    + " \"description\", \"type\", \"script\", \"installed_by\", \"execution_time\", \"success\")"
                    + " VALUES (99, '99', 'from the future', 'SQL', 'V99__future.sql', 'someone', 0, TRUE)");
        }

        assertThatThrownBy(() -> extension().reopen())
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.SCHEMA_TOO_NEW))
                .hasMessageMatching("(?s).*has schema version 99 but this configstore knows only up to version [1-9][0-9]*\\b.*")
                .hasMessageContaining("upgrade configstore");

        try (Connection connection = extension().backend().adminConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.executeUpdate("DELETE FROM \"configstore_schema_history\" WHERE \"installed_rank\" = 99");
        }
        ConfigStore reopened = extension().reopen();
        assertThat(reopened.revision()).isEqualTo(1);
        assertThat(reopened.find("a")).contains(json("1"));
        assertThat(reopened.health().verify().isClean()).isTrue();
    }

    @Test
    void oneKeyChange_addsRowsIndependentOfDocumentSize() throws SQLException {
        ObjectNode small = JsonNodeFactory.instance.objectNode();
        ObjectNode large = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 10_000; i++) {
            if (i < 10) {
                small.put("key" + i, i);
            }
            large.withObjectProperty("group" + (i / 100)).put("key" + i, i);
        }
        store().batch().replace("small", small).replace("large", large).commit();

        long smallRows = rowsAddedBy(() -> store().put("small", "key3", "changed"));
        long largeRows = rowsAddedBy(() -> store().put("large", "group42.key4200", "changed"));

        assertThat(largeRows).isEqualTo(smallRows);
        assertThat(smallRows).isEqualTo(3); // revision (with its operation-log data), entry, document version
    }

    private long rowsAddedBy(Runnable write) throws SQLException {
        long before = totalRows();
        write.run();
        return totalRows() - before;
    }

    private long totalRows() throws SQLException {
        long total = 0;
        try (Connection connection = extension().backend().adminConnection();
             Statement statement = connection.createStatement()) {
            for (String table : List.of("cs_revision", "cs_entry", "cs_document_version", "cs_operation")) {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rows.next();
                    total += rows.getLong(1);
                }
            }
        }
        return total;
    }

    @Test
    void concurrentCompareAndSet_eightThreads_countExactly() throws Exception {
        store().put("counter", 0);
        int threads = 8;
        int increments = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> conflicts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            conflicts.add(pool.submit(() -> {
                int conflictCount = 0;
                for (int i = 0; i < increments; i++) {
                    while (true) {
                        long seen = store().revision();
                        int value = store().find("counter", Integer.class).orElseThrow();
                        try {
                            store().batch().set("current", "counter", value + 1).expectRevision(seen).commit();
                            break;
                        } catch (VersionConflictException conflict) {
                            conflictCount++;
                        }
                    }
                }
                return conflictCount;
            }));
        }
        pool.shutdown();
        int totalConflicts = 0;
        for (Future<Integer> future : conflicts) {
            totalConflicts += future.get();
        }

        assertThat(store().find("counter", Integer.class)).contains(threads * increments);
        assertThat(store().revision()).isEqualTo(1 + threads * increments);
        assertThat(totalConflicts).isPositive();
    }

    @Test
    void badKeys_areRefusedWithTheFaultNamed() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("", "the key is empty");
        cases.put("a..b", "empty segment");
        cases.put(".a", "empty segment");
        cases.put("a.", "empty segment at the end");
        cases.put("a\u0001b", "control character U+0001");
        cases.put("a[0]", "unescaped '['");
        cases.put("a\\", "a backslash at the end");
        cases.forEach((key, fault) -> assertThatThrownBy(() -> store().put(key, 1))
                .as(key).isInstanceOf(ConfigStoreException.class).hasMessageContaining(fault)
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThatThrownBy(() -> store().put("a", json("{\"\":1}"))).hasMessageContaining("member name ''");

        assertThat(store().revision()).isZero();
        assertThat(store().history().revisions(1)).isEmpty();
    }

    @Test
    void badDocumentNames_areRefused() {
        for (String name : List.of("../etc", "a/b", "a\\b", "x\u0000", "a; DROP TABLE cs_entry", "", "x".repeat(65))) {
            assertThatThrownBy(() -> store().put(name, "a", 1))
                    .as(name).isInstanceOf(ConfigStoreException.class).hasMessageContaining("invalid document name");
        }
        assertThat(store().revision()).isZero();
    }

    @Test
    void valueOverTheLimit_isRefused() {
        String big = "x".repeat(1_000_001);

        assertThatThrownBy(() -> store().put("big", big))
                .hasMessageContaining("value for key 'big' of document 'current' is 1000003 characters of JSON")
                .hasMessageContaining("limit is 1000000");
        assertThat(store().revision()).isZero();
    }

    @Test
    void valueNestedTooDeep_isRefused() {
        com.fasterxml.jackson.databind.node.ArrayNode deep = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 70; i++) {
            deep = JsonNodeFactory.instance.arrayNode().add(deep);
        }
        JsonNode tooDeep = deep;

        assertThatThrownBy(() -> store().put("deep", tooDeep))
                .hasMessageContaining("nests deeper than 64 levels");
        assertThat(store().revision()).isZero();
    }
}
