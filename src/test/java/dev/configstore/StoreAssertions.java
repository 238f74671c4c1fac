package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.configstore.backup.RestorePoint;
import dev.configstore.profile.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * What the black-box suites share, through the public API only: JSON literals read as the
 * store reads them (decimals exact), and the check that a refused call left the store exactly
 * as it was.
 */
final class StoreAssertions {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private StoreAssertions() {
    }

    /** A JSON literal of a test. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON in a test: " + e.getOriginalMessage(), e);
        }
    }

    /** A value as a tree, as the store turns values into trees. */
    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A tree as JSON bytes. */
    static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything a caller can see of a store: its revision, documents, profiles and restore points. */
    record Snapshot(long revision, List<DocumentInfo> documents, Map<String, JsonNode> trees, List<Profile> profiles,
                    List<RestorePoint> restorePoints) {

        static Snapshot of(ConfigStore store) {
            long revision = store.refresh();
            Map<String, JsonNode> trees = new LinkedHashMap<>();
            for (DocumentInfo document : store.list()) {
                store.document(document.name()).ifPresent(found -> trees.put(document.name(), found.tree()));
            }
            return new Snapshot(revision, store.list(), trees, store.profiles().list(), store.backups().list());
        }
    }

    /**
     * Asserts that {@code call} is refused with {@code code} and a message containing
     * {@code message}, and that the store is exactly as it was before.
     */
    static void assertRefusedAndUnchanged(ConfigStore store, ThrowingCallable call, ErrorCode code, String message) {
        Snapshot before = Snapshot.of(store);
        assertThatThrownBy(call).isInstanceOfSatisfying(ConfigStoreException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(message);
        assertThat(store.revision()).isEqualTo(before.revision());
        assertThat(Snapshot.of(store)).isEqualTo(before);
    }
}
