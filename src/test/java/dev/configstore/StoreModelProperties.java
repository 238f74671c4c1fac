package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.profile.ApplyMode;
import dev.configstore.format.Format;
import dev.configstore.format.ImportOptions;
import dev.configstore.profile.ProfileDefinition;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Model-based random testing: jqwik generates sequences of operations (set, unset, batches over
 * two documents, profile create, delete and apply, restore points and restores, compaction,
 * import), runs them against a real store and against a small in-memory model, and after every
 * step compares the head and a random earlier revision of every document with the model. At the
 * end verify must be clean. Shrinking turns a failure into a short sequence; such sequences
 * become fixed tests.
 *
 * <p>The model keeps each document as flat leaves (dotted paths to values), which is how the
 * store defines a document; it knows nothing of SQL, caches or checksums.
 */
@Tag("slow")
class StoreModelProperties {

    private static final List<String> KEYS = List.of("a", "b", "c", "c.d", "c.e", "f.g.h");
    private static final List<String> PROFILES = List.of("p1", "p2");

    enum Kind { SET, UNSET, BATCH, CREATE_PROFILE, DELETE_PROFILE, APPLY, APPLY_REPLACE, BACKUP, RESTORE, COMPACT,
        IMPORT }

    /** One generated operation; which fields matter depends on the kind. */
    record Op(Kind kind, String document, String key, int value, String otherKey, int seed) {
        @Override
        public String toString() {
            return kind + "(" + document + ", " + key + "=" + value + ", " + otherKey + ", " + seed + ")";
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, Arbitraries.just(Kind.SET)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.UNSET)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.BATCH)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.CREATE_PROFILE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.DELETE_PROFILE)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.APPLY)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.APPLY_REPLACE)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.BACKUP)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.RESTORE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.COMPACT)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.IMPORT))),
                Arbitraries.of("current", "current", "p1", "p2"),
                Arbitraries.of(KEYS),
                Arbitraries.integers().between(0, 4),
                Arbitraries.of(KEYS),
                Arbitraries.integers().between(0, 1000))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 40)
    void h2Store_behavesLikeTheModel(@ForAll("operations") List<Op> operations) throws Exception {
        check(new Backend.H2(), operations);
    }

    @Property(tries = 25)
    void postgresStore_behavesLikeTheModel(@ForAll("operations") List<Op> operations) throws Exception {
        String url = System.getenv("CONFIGSTORE_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            // no server here: the H2 property still runs; say so once per try instead of passing silently
            System.out.println("PostgreSQL model property not run: CONFIGSTORE_TEST_POSTGRES_URL is not set");
            return;
        }
        check(new Backend.Postgres(), operations);
    }

    private static void check(Backend backend, List<Op> operations) throws Exception {
        Path temp = Files.createTempDirectory("configstore-model");
        Model model = new Model();
        try (ConfigStore store = backend.newStore(temp).refreshInterval(Duration.ZERO).automaticRestorePoints(3)
                .actor("model").open()) {
            int step = 0;
            for (Op op : operations) {
                step++;
                String context = "step " + step + " " + op + " of " + operations;
                apply(store, model, op, context);
                assertThat(store.revision()).as(context + ": head").isEqualTo(model.revision);
                assertDocuments(store, model.docs, -1, context);
                long floor = Math.max(1, model.floor);
                if (model.revision >= floor) {
                    long earlier = floor + new Random(op.seed()).nextLong(model.revision - floor + 1);
                    assertDocuments(store, model.snapshots.get(earlier), earlier, context + ", at revision " + earlier);
                }
            }
            assertThat(store.health().verify().isClean()).as("verify after " + operations).isTrue();
        } finally {
            backend.cleanUp();
            try (var files = Files.walk(temp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void apply(ConfigStore store, Model model, Op op, String context) {
        Map<String, TreeMap<String, JsonNode>> before = model.copy();
        Map<String, TreeMap<String, JsonNode>> after = model.copy();
        JsonNode value = JsonNodeFactory.instance.numberNode(op.value());
        boolean expectFailure = false;
        Runnable action;
        switch (op.kind()) {
            case SET -> {
                set(after.computeIfAbsent(op.document(), name -> new TreeMap<>()), op.key(), value);
                action = () -> store.put(op.document(), op.key(), value);
            }
            case UNSET -> {
                TreeMap<String, JsonNode> doc = after.get("current");
                expectFailure = doc == null || !unset(doc, op.key());
                action = () -> store.unset("current", op.key());
            }
            case BATCH -> {
                set(after.computeIfAbsent("current", name -> new TreeMap<>()), op.key(), value);
                set(after.computeIfAbsent("p1", name -> new TreeMap<>()), op.otherKey(),
                        JsonNodeFactory.instance.textNode("v" + op.seed()));
                action = () -> store.batch().set("current", op.key(), value)
                        .set("p1", op.otherKey(), "v" + op.seed()).message("two documents").commit();
            }
            case CREATE_PROFILE -> {
                String name = PROFILES.get(op.seed() % PROFILES.size());
                expectFailure = after.containsKey(name);
                after.putIfAbsent(name, new TreeMap<>());
                action = () -> store.profiles().create(ProfileDefinition.named(name));
            }
            case DELETE_PROFILE -> {
                String name = PROFILES.get(op.seed() % PROFILES.size());
                expectFailure = !after.containsKey(name);
                after.remove(name);
                action = () -> store.profiles().delete(name);
            }
            case APPLY, APPLY_REPLACE -> {
                String name = PROFILES.get(op.seed() % PROFILES.size());
                TreeMap<String, JsonNode> profile = after.get(name);
                expectFailure = profile == null;
                if (profile != null) {
                    TreeMap<String, JsonNode> current = op.kind() == Kind.APPLY_REPLACE ? new TreeMap<>()
                            : after.computeIfAbsent("current", n -> new TreeMap<>());
                    profile.forEach((path, leaf) -> set(current, path, leaf));
                    after.put("current", current);
                }
                action = () -> store.profiles().apply(name, op.kind() == Kind.APPLY_REPLACE ? ApplyMode.REPLACE : ApplyMode.MERGE);
            }
            case BACKUP -> {
                String name = "point" + model.backups.size();
                model.backups.put(name, model.revision);
                store.backups().create(name, 0, "");
                return; // no revision
            }
            case RESTORE -> {
                if (model.backups.isEmpty()) {
                    return;
                }
                List<String> names = new ArrayList<>(model.backups.keySet());
                String name = names.get(op.seed() % names.size());
                after = copy(model.snapshots.get(model.backups.get(name)));
                action = () -> store.backups().restore(name);
            }
            case COMPACT -> {
                var result = store.history().compactKeepingNewest(1 + op.value());
                model.floor = Math.max(model.floor, result.floorRevision());
                // the model keeps every snapshot: restore points pin theirs, and reads check only above the floor
                return;
            }
            case IMPORT -> {
                TreeMap<String, JsonNode> file = new TreeMap<>();
                set(file, op.key(), value);
                set(file, op.otherKey(), JsonNodeFactory.instance.booleanNode(op.seed() % 2 == 0));
                set(after.computeIfAbsent(op.document(), name -> new TreeMap<>()), op.key(), value);
                for (var leaf : file.entrySet()) {
                    set(after.get(op.document()), leaf.getKey(), leaf.getValue());
                }
                byte[] json = tree(file).toString().getBytes(StandardCharsets.UTF_8);
                action = () -> store.formats().importDocument(op.document(), Format.JSON, new ByteArrayInputStream(json),
                        "generated.json", ImportOptions.merge());
            }
            default -> throw new IllegalStateException(op.kind().name());
        }
        if (expectFailure) {
            try {
                action.run();
            } catch (ConfigStoreException expected) {
                return;
            }
            throw new AssertionError(context + ": expected a refusal");
        }
        action.run();
        if (!after.equals(before)) {
            model.revision++;
            model.docs = after;
            model.snapshots.put(model.revision, copy(after));
        }
    }

    /** The store's set on flat leaves: the key replaces its subtree and any leaf above it. */
    private static void set(TreeMap<String, JsonNode> leaves, String path, JsonNode value) {
        leaves.keySet().removeIf(key -> key.equals(path) || key.startsWith(path + "."));
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
            leaves.remove(path.substring(0, dot));
        }
        leaves.put(path, value);
    }

    /** The store's unset: false if nothing is there; an object left empty stays, as {}. */
    private static boolean unset(TreeMap<String, JsonNode> leaves, String path) {
        boolean present = leaves.keySet().removeIf(key -> key.equals(path) || key.startsWith(path + "."));
        if (!present) {
            return false;
        }
        int dot = path.lastIndexOf('.');
        if (dot > 0) {
            String parent = path.substring(0, dot);
            boolean anything = leaves.keySet().stream().anyMatch(key -> key.equals(parent) || key.startsWith(parent + "."));
            if (!anything) {
                leaves.put(parent, JsonNodeFactory.instance.objectNode());
            }
        }
        return true;
    }

    private static void assertDocuments(ConfigStore store, Map<String, TreeMap<String, JsonNode>> expected, long revision,
                                         String context) {
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.add("current");
        names.addAll(PROFILES);
        for (String name : names) {
            var actual = revision < 0 ? store.profiles().raw(name) : store.profiles().raw(name, revision);
            TreeMap<String, JsonNode> leaves = expected.get(name);
            if (leaves == null) {
                assertThat(actual).as(context + ": document " + name).isEmpty();
            } else {
                assertThat(actual.map(document -> (JsonNode) document.tree())).as(context + ": document " + name)
                        .contains(tree(leaves));
            }
        }
    }

    private static ObjectNode tree(Map<String, JsonNode> leaves) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (var leaf : leaves.entrySet()) {
            String[] segments = leaf.getKey().split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < segments.length - 1; i++) {
                parent = parent.has(segments[i]) ? (ObjectNode) parent.get(segments[i]) : parent.putObject(segments[i]);
            }
            parent.set(segments[segments.length - 1], leaf.getValue().deepCopy());
        }
        return root;
    }

    private static Map<String, TreeMap<String, JsonNode>> copy(Map<String, TreeMap<String, JsonNode>> docs) {
        Map<String, TreeMap<String, JsonNode>> copy = new HashMap<>();
        docs.forEach((name, leaves) -> copy.put(name, new TreeMap<>(leaves)));
        return copy;
    }

    /** The model: documents as flat leaves, the head, a snapshot per revision, restore points. */
    private static final class Model {
        Map<String, TreeMap<String, JsonNode>> docs = new HashMap<>();
        long revision;
        long floor;
        final Map<Long, Map<String, TreeMap<String, JsonNode>>> snapshots = new HashMap<>(Map.of(0L, Map.of()));
        final Map<String, Long> backups = new TreeMap<>();

        Map<String, TreeMap<String, JsonNode>> copy() {
            return StoreModelProperties.copy(docs);
        }
    }
}
