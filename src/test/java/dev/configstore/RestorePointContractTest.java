package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.backup.RestorePoint;
import dev.configstore.backup.RetentionPolicy;
import dev.configstore.history.ChangeKind;
import dev.configstore.history.CompactionResult;
import dev.configstore.history.Diff;
import dev.configstore.history.HistoryEntry;
import dev.configstore.profile.ProfileDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Restore points, retention and compaction, written once and run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class RestorePointContractTest {

    @RegisterExtension
    final StoreExtension extension;

    RestorePointContractTest(Backend.Kind backend) {
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

    private JsonNode tree(String document) {
        return store().document(document).map(Document::tree).orElse(null);
    }

    @Test
    void storeWideRestore_writesANewRevision_bringsBackDeletedDocuments_removesNewOnes() {
        store().batch().set("current", "a", 1).set("dev", "b", 2).commit();
        RestorePoint point = store().backups().create("before-changes", 5, "known good");
        assertThat(point.revision()).isEqualTo(1);
        assertThat(point.document()).isEmpty();
        assertThat(point.note()).contains("known good");
        assertThat(point.automatic()).isFalse();

        store().put("a", 10);
        store().delete("dev");
        store().put("fresh", "c", 3);
        long head = store().revision();

        WriteResult restored = store().backups().restore("before-changes");

        assertThat(restored.revision()).isEqualTo(head + 1);
        assertThat(tree("current")).isEqualTo(json("{\"a\":1}"));
        assertThat(tree("dev")).isEqualTo(json("{\"b\":2}"));
        assertThat(store().document("fresh")).isEmpty();
        // history is kept: the state before the restore is still readable
        assertThat(store().document("current", head).orElseThrow().tree()).isEqualTo(json("{\"a\":10}"));
        assertThat(store().history().revisions(1).get(0).operation()).isEqualTo("restore");
        assertThat(store().health().verify().isClean()).isTrue();
    }

    @Test
    void documentRestore_touchesOnlyThatDocument_andRestoresItsParent() {
        store().profiles().create(ProfileDefinition.named("base"));
        store().profiles().create(ProfileDefinition.named("other"));
        store().profiles().create(ProfileDefinition.named("dev").extending("base"));
        store().batch().set("dev", "x", 1).set("current", "y", 1).commit();
        store().backups().create("dev", "dev-ok", 0, "");

        store().batch().set("dev", "x", 2).set("current", "y", 2).commit();
        store().profiles().setParent("dev", "other");

        store().backups().restore("dev-ok");

        assertThat(store().profiles().raw("dev").orElseThrow().tree()).isEqualTo(json("{\"x\":1}"));
        assertThat(store().profiles().find("dev").orElseThrow().parent()).contains("base");
        assertThat(tree("current")).isEqualTo(json("{\"y\":2}"));
    }

    @Test
    void restoreExpectingARevision_isRefusedWhenItsScopeChangedSince_andAppliesOtherwise() {
        store().put("a", 1);
        store().backups().create("current", "one", 0, "");
        store().put("a", 2);
        long previewed = store().revision();
        store().put("dev", "b", 1); // outside the point's scope: not a conflict
        assertThat(store().backups().restore("one", previewed).revision()).isEqualTo(previewed + 2);
        assertThat(store().find("a")).contains(json("1"));

        store().put("a", 3);
        long stale = store().revision();
        store().put("a", 4);
        long head = store().revision();
        assertThatThrownBy(() -> store().backups().restore("one", stale))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store().refresh()).isEqualTo(head);
        assertThat(store().find("a")).contains(json("4"));
        assertThatThrownBy(() -> store().backups().restore("one", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restore_makesAnAutomaticRestorePointOfTheStateBefore() {
        store().put("a", 1);
        store().backups().create("one", 0, "");
        store().put("a", 2);

        store().backups().restore("one");

        RestorePoint automatic = store().backups().list().get(1);
        assertThat(automatic.automatic()).isTrue();
        assertThat(automatic.name()).isEqualTo("auto-2-restore");
        assertThat(automatic.revision()).isEqualTo(2);
        store().backups().restore(automatic.name());
        assertThat(store().find("a")).contains(json("2"));
    }

    @Test
    void restoreOfTheCurrentState_changesNothing() {
        store().put("a", 1);
        store().backups().create("one", 0, "");

        WriteResult result = store().backups().restore("one");

        assertThat(result.changed()).isFalse();
        assertThat(store().backups().list()).hasSize(1);
    }

    @Test
    void preview_showsTheDiffARestoreWouldApply_andWritesNothing() {
        store().batch().set("current", "a", 1).set("current", "b", 1).commit();
        store().backups().create("one", 0, "");
        store().batch().set("current", "a", 2).unset("current", "b").set("current", "c", 3).commit();
        long head = store().revision();

        Diff diff = store().backups().preview("one");

        assertThat(diff.changes()).extracting(change -> change.key() + ":" + change.kind())
                .containsExactly("a:CHANGED", "b:ADDED", "c:REMOVED");
        assertThat(store().refresh()).isEqualTo(head);
        assertThat(store().backups().list()).hasSize(1);
    }

    @Test
    void automaticRestorePoints_areTrimmedToTheBuildersCount() {
        // the extension's builder keeps the default of 20; make 22 destructive writes
        for (int i = 0; i < 22; i++) {
            store().put("doc-" + i, "k", i);
            store().delete("doc-" + i);
        }
        List<RestorePoint> points = store().backups().list();
        assertThat(points).hasSize(20).allMatch(RestorePoint::automatic);
        assertThat(points.get(0).document()).contains("doc-2");
    }

    @Test
    void cleanup_fifoLifoPriority_withDryRun() {
        store().put("a", 1);
        store().backups().create("p1", 5, "");
        store().backups().create("p2", 1, "");
        store().backups().create("p3", 9, "");
        store().backups().create("p4", 1, "");

        assertThat(store().backups().previewCleanup(2, RetentionPolicy.FIFO)).extracting(RestorePoint::name)
                .containsExactly("p1", "p2");
        assertThat(store().backups().previewCleanup(2, RetentionPolicy.LIFO)).extracting(RestorePoint::name)
                .containsExactly("p4", "p3");
        assertThat(store().backups().previewCleanup(1, RetentionPolicy.PRIORITY)).extracting(RestorePoint::name)
                .containsExactly("p2", "p4", "p1");
        assertThat(store().backups().list()).hasSize(4);

        assertThat(store().backups().cleanup(2, RetentionPolicy.PRIORITY)).extracting(RestorePoint::name)
                .containsExactly("p2", "p4");
        assertThat(store().backups().list()).extracting(RestorePoint::name).containsExactly("p1", "p3");
    }

    @Test
    void cleanup_leavesAutomaticRestorePointsAlone() {
        store().put("dev", "k", 1);
        store().delete("dev");
        store().backups().create("manual", 0, "");

        store().backups().cleanup(0, RetentionPolicy.FIFO);

        assertThat(store().backups().list()).singleElement().satisfies(point -> assertThat(point.automatic()).isTrue());
    }

    // ---- bad input ----

    private void assertRefused(ThrowingCallable call, ErrorCode code, String message) {
        StoreAssertions.assertRefusedAndUnchanged(store(), call, code, message);
    }

    @Test
    void badInput_isRefused_andChangesNothing() {
        store().put("a", 1);
        store().backups().create("taken", 0, "");

        assertRefused(() -> store().backups().create("taken", 0, ""), ErrorCode.INVALID_INPUT,
                "a restore point named 'taken' already exists");
        assertRefused(() -> store().backups().create("auto-1-mine", 0, ""), ErrorCode.INVALID_INPUT,
                "names starting with 'auto-' are kept");
        assertRefused(() -> store().backups().create("nope", "p", 0, ""), ErrorCode.NOT_FOUND,
                "document 'nope' does not exist");
        assertRefused(() -> store().backups().create("n", 0, "bad\u0000note"), ErrorCode.INVALID_INPUT,
                "note contains a control character");
        assertRefused(() -> store().backups().restore("missing"), ErrorCode.NOT_FOUND,
                "there is no restore point named 'missing'");
        assertRefused(() -> store().backups().preview("missing"), ErrorCode.NOT_FOUND,
                "there is no restore point named 'missing'");
        assertRefused(() -> store().backups().delete("missing"), ErrorCode.NOT_FOUND,
                "there is no restore point named 'missing'");
        assertThatThrownBy(() -> store().backups().cleanup(-1, RetentionPolicy.FIFO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keep must be 0 or more, was -1");
        assertThat(store().backups().list()).extracting(RestorePoint::name).containsExactly("taken");
        long head = store().revision();
        assertThatThrownBy(() -> store().history().compactKeepingNewest(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, was 0");
        assertThatThrownBy(() -> store().history().compactKeepingNewest(-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, was -3");
        assertThat(store().revision()).isEqualTo(head);
    }

    // ---- compaction ----

    /** 30 revisions of one key; restore points pin revisions 5 and 12. */
    private void thirtyRevisions() {
        for (int i = 1; i <= 30; i++) {
            store().batch().set("current", "n", i).set("current", "k" + (i % 4), "v" + i).commit();
            if (i == 5) {
                store().backups().create("five", 0, "");
            }
            if (i == 12) {
                store().backups().create("current", "twelve", 0, "");
            }
        }
    }

    @Test
    void compact_dropsOldRevisions_keepsPinnedOnesExactlyReadableAndRestorable() {
        thirtyRevisions();
        JsonNode atFive = store().document("current", 5).orElseThrow().tree();
        JsonNode atTwelve = store().document("current", 12).orElseThrow().tree();
        JsonNode atTwentyFive = store().document("current", 25).orElseThrow().tree();
        JsonNode head = tree("current");

        CompactionResult result = store().history().compactKeepingNewest(10);

        assertThat(result.floorRevision()).isEqualTo(21);
        assertThat(result.pinnedKept()).containsExactly(5L, 12L);
        assertThat(result.revisionsRemoved()).isEqualTo(18);
        assertThat(result.rowsRemoved()).isPositive();
        assertThat(store().document("current", 5).orElseThrow().tree()).isEqualTo(atFive);
        assertThat(store().document("current", 12).orElseThrow().tree()).isEqualTo(atTwelve);
        assertThat(store().document("current", 25).orElseThrow().tree()).isEqualTo(atTwentyFive);
        assertThat(tree("current")).isEqualTo(head);
        assertThat(store().history().diff(5, 30).changes()).isNotEmpty();
        assertThat(store().health().verify().isClean()).isTrue();

        assertThatThrownBy(() -> store().document("current", 7))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("revision 7 was compacted");
        assertThatThrownBy(() -> store().history().diff(3, 30)).hasMessageContaining("revision 3 was compacted");

        store().backups().restore("five");
        assertThat(tree("current")).isEqualTo(atFive);
        store().backups().restore("twelve");
        assertThat(tree("current")).isEqualTo(atTwelve);
        assertThat(store().health().verify().isClean()).isTrue();
    }

    @Test
    void compact_keyHistoryAndChangeViewStartAboveTheFloor() {
        thirtyRevisions();

        store().history().compactKeepingNewest(10);

        List<HistoryEntry> history = store().history().ofKey("current", "n", 100);
        assertThat(history).extracting(entry -> entry.revision().revision())
                .containsExactly(30L, 29L, 28L, 27L, 26L, 25L, 24L, 23L, 22L);
        assertThat(history).allMatch(entry -> entry.change().kind() == ChangeKind.CHANGED);
        var rows = store().history().query("SELECT MIN(revision), COUNT(*) FROM config_changes WHERE key_path = 'n'", 5);
        assertThat(rows.rows()).containsExactly(List.of("22", "9"));
    }

    @Test
    void compact_again_orBelowTheFloor_doesNothing_andTheStoreKeepsWorking() {
        thirtyRevisions();
        store().history().compactKeepingNewest(10);

        CompactionResult again = store().history().compactKeepingNewest(20);

        assertThat(again.rowsRemoved()).isZero();
        assertThat(again.floorRevision()).isEqualTo(21);
        store().put("n", 31);
        assertThat(extension().reopen().find("n")).contains(json("31"));
        assertThat(store().health().verify().isClean()).isTrue();
    }

    @Test
    void compactBefore_keepsTheStateAsOfThatInstant() {
        thirtyRevisions(); // every revision has the fixed test clock's time

        CompactionResult nothing = store().history().compactBefore(StoreExtension.NOW.minusSeconds(1));
        assertThat(nothing.rowsRemoved()).isZero();

        CompactionResult all = store().history().compactBefore(StoreExtension.NOW);
        assertThat(all.floorRevision()).isEqualTo(30);
        assertThat(store().document("current", 12)).isPresent();
        assertThatThrownBy(() -> store().document("current", 29)).hasMessageContaining("was compacted");
        assertThat(store().health().verify().isClean()).isTrue();
    }

    @Test
    void aLongSweep_goesInBatches_withTheSameOutcome_andTellsItsProgress() {
        // 700 revisions, pins on and beside the batch bounds of the second sweep (301, 501)
        // and one below the first floor that is deleted before the second sweep
        for (int i = 1; i <= 700; i++) {
            store().batch().set("current", "n", i).set("current", "k" + (i % 7), "v" + i).commit();
            if (i == 50 || i == 301 || i == 302 || i == 500) {
                store().backups().create("at-" + i, 0, "");
            }
        }
        Map<Long, JsonNode> kept = new TreeMap<>();
        for (long revision : List.of(301L, 302L, 500L, 691L, 695L, 700L)) {
            kept.put(revision, store().document("current", revision).orElseThrow().tree());
        }
        store().history().compactKeepingNewest(600);
        store().backups().delete("at-50");
        List<long[]> told = new ArrayList<>();

        CompactionResult result = store().history().compactKeepingNewest(10,
                (done, total) -> told.add(new long[] {done, total}));

        assertThat(result.floorRevision()).isEqualTo(691);
        assertThat(result.pinnedKept()).containsExactly(301L, 302L, 500L);
        // three batches of 200 revisions (the last 190) from the old floor 101, then the end
        assertThat(told).extracting(step -> step[0]).containsExactly(200L, 400L, 590L);
        assertThat(told).allSatisfy(step -> assertThat(step[1]).isEqualTo(590));
        kept.forEach((revision, tree) ->
                assertThat(store().document("current", revision).orElseThrow().tree()).as("revision %d", revision)
                        .isEqualTo(tree));
        for (long gone : List.of(50L, 101L, 300L, 303L, 499L, 501L, 690L)) {
            assertThatThrownBy(() -> store().document("current", gone)).as("revision %d", gone)
                    .hasMessageContaining("was compacted");
        }
        assertThat(store().health().verify().isClean()).isTrue();
    }

    @Test
    void deletingARestorePoint_letsTheNextCompactionDropItsRevision() {
        thirtyRevisions();
        store().backups().delete("five");

        store().history().compactKeepingNewest(10);

        assertThatThrownBy(() -> store().document("current", 5)).hasMessageContaining("revision 5 was compacted");
        assertThat(store().document("current", 12)).isPresent();
    }

    @Test
    void operationsOfCompactedRevisions_leaveTheLog_butTheCompactionItselfIsLogged() {
        thirtyRevisions();
        Instant now = StoreExtension.NOW;

        store().history().compactKeepingNewest(10);

        assertThat(store().history().operations(1).get(0).operation()).isEqualTo("compact");
        assertThat(store().history().operations(1).get(0).startedAt()).isEqualTo(now);
        var rows = store().history().query("SELECT COUNT(*) FROM operations WHERE revision < 21", 5).rows();
        assertThat(rows).containsExactly(List.of("2")); // the pinned revisions 5 and 12
    }
}
