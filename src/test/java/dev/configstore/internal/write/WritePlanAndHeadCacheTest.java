package dev.configstore.internal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.Change;
import dev.configstore.ConfigKey;
import dev.configstore.Document;
import dev.configstore.VersionConflictException;
import dev.configstore.internal.document.DocumentDelta;
import dev.configstore.internal.document.DocumentMeta;
import dev.configstore.internal.document.DocumentWrite;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.write.HeadCache.DocumentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner and the head cache without a database: a write planned against the cache and
 * applied to it as deltas gives the documents the changes describe, with checksums that a
 * recomputation from the leaves confirms; a cache given a wrong checksum finds the damage.
 */
class WritePlanAndHeadCacheTest {

    private final HeadCache cache = new HeadCache();

    private static JsonNode json(String text) {
        return Json.parse(text, "test");
    }

    private static Change set(String document, String key, String value) {
        return new Change.Set(document, ConfigKey.parse(key), json(value));
    }

    /** Plans and applies one revision, as a commit does once the rows are written. */
    private List<DocumentWrite> commit(List<Change> changes, Map<String, DocumentMeta> metas,
                                                 long expectedRevision) {
        List<DocumentWrite> writes = WritePlan.plan(cache, changes, metas, expectedRevision, 1 << 20, false, null);
        long revision = cache.revision() + 1;
        cache.apply(revision, WritePlan.deltas(writes, revision));
        return writes;
    }

    /** The cache's whole state as a fresh load would give it: every document's leaves and stored checksum. */
    private List<DocumentDelta> state(List<String> names) {
        List<DocumentDelta> state = new ArrayList<>();
        for (String name : names) {
            DocumentState document = cache.state(name);
            state.add(new DocumentDelta(name, document.exists, document.lastChanged, document.checksum, document.meta,
                    List.of(), Map.copyOf(document.leaves)));
        }
        return state;
    }

    @Test
    void plannedWrites_appliedToTheCache_giveTheDocuments_andChecksumsARecomputationConfirms() {
        commit(List.of(set("current", "camera.fps", "30"), set("current", "camera.name", "\"front\""),
                set("current", "audio", "true")), Map.of(), -1);
        commit(List.of(set("current", "camera", "{\"fps\":60}"), new Change.Unset("current", ConfigKey.parse("audio")),
                set("table-3", "camera.exposure", "7")), Map.of("table-3", DocumentMeta.NONE.withParent("current")), -1);

        assertThat(cache.revision()).isEqualTo(2);
        assertThat(cache.rawDocument("current").map(Document::tree)).contains((com.fasterxml.jackson.databind.node.ObjectNode)
                json("{\"camera\":{\"fps\":60}}"));
        assertThat(cache.document("table-3").map(d -> (JsonNode) d.tree()))
                .contains(json("{\"camera\":{\"exposure\":7,\"fps\":60}}"));
        assertThat(cache.find("table-3", "camera.fps")).contains(json("60"));
        assertThat(cache.find("current", "camera.name")).isEmpty();

        // a load from the database recomputes every checksum: the incremental ones must agree
        cache.reset(2, state(List.of("current", "table-3")));
        assertThat(cache.damageIn("current")).isNull();
        assertThat(cache.damageIn("table-3")).isNull();
    }

    @Test
    void aStoredChecksumTheLeavesDoNotHave_isFound_inTheDocumentAndItsChildren_untilAWriteMakesThemAgree() {
        commit(List.of(set("current", "a", "1")), Map.of(), -1);
        commit(List.of(set("child", "b", "2")), Map.of("child", DocumentMeta.NONE.withParent("current")), -1);
        List<DocumentDelta> state = new ArrayList<>(state(List.of("current", "child")));
        DocumentDelta current = state.get(0);
        state.set(0, new DocumentDelta(current.document(), true, current.revision(), Json.EMPTY_CHECKSUM, current.meta(),
                List.of(), current.added()));

        cache.reset(2, state);

        assertThat(cache.damageIn("current")).isNotNull();
        assertThat(cache.damageIn("child")).as("a child reads through the damaged parent").isNotNull();
        commit(List.of(new Change.Replace("current", (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"a\":3}"))),
                Map.of(), -1);
        assertThat(cache.damageIn("current")).isNull();
        assertThat(cache.damageIn("child")).isNull();
    }

    @Test
    void aWriteExpectingAnOlderRevision_isAConflict_andChangesNothing() {
        commit(List.of(set("current", "a", "1")), Map.of(), -1);
        commit(List.of(set("current", "a", "2")), Map.of(), 1);

        assertThatThrownBy(() -> commit(List.of(set("current", "a", "3")), Map.of(), 1))
                .isInstanceOf(VersionConflictException.class);
        assertThat(cache.revision()).isEqualTo(2);
        assertThat(cache.find("current", "a")).contains(json("2"));
    }

    @Test
    void nothingToChange_plansNoWrite() {
        commit(List.of(set("current", "a", "1")), Map.of(), -1);
        assertThat(WritePlan.plan(cache, List.of(set("current", "a", "1")), Map.of(), -1, 1 << 20, false, null)).isEmpty();
    }
}
