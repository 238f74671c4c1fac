package dev.configstore.internal.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The leaf-level merge of a parent chain against the deep merge written plainly on trees: objects
 * merge key by key, the child wins, arrays and scalars are replaced whole, a child's empty object
 * keeps the parent's keys. Resolving only the leaves that bear on one path gives the same value
 * there as resolving everything.
 */
class InheritanceProperties {

    private static final List<String> NAMES = List.of("a", "b", "c");

    @Provide
    Arbitrary<List<ObjectNode>> chains() {
        return object(3).list().ofMinSize(1).ofMaxSize(4);
    }

    private Arbitrary<ObjectNode> object(int depth) {
        Arbitrary<JsonNode> member = depth == 0 ? scalar()
                : Arbitraries.oneOf(scalar(), scalar(), object(depth - 1).map(JsonNode.class::cast),
                        scalar().list().ofMaxSize(2).map(list -> {
                            ArrayNode array = Json.NODES.arrayNode();
                            list.forEach(array::add);
                            return (JsonNode) array;
                        }));
        return Arbitraries.maps(Arbitraries.of(NAMES), member).ofMaxSize(3).map(map -> {
            ObjectNode object = Json.NODES.objectNode();
            new TreeMap<>(map).forEach(object::set);
            return object;
        });
    }

    private Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 9).map(Json.NODES::numberNode),
                Arbitraries.of("x", "y").map(Json.NODES::textNode), Arbitraries.just(Json.NODES.nullNode()));
    }

    /** Child first, as a chain is ordered. */
    private static List<Inheritance.Source> sources(List<ObjectNode> trees) {
        List<Inheritance.Source> chain = new ArrayList<>();
        for (int i = 0; i < trees.size(); i++) {
            chain.add(Inheritance.fromTree("d" + i, trees.get(i)));
        }
        return chain;
    }

    private static JsonNode deepMerge(JsonNode base, JsonNode child) {
        if (base == null || !base.isObject() || !child.isObject()) {
            return child.deepCopy();
        }
        ObjectNode merged = base.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> fields = child.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            merged.set(field.getKey(), deepMerge(merged.get(field.getKey()), field.getValue()));
        }
        return merged;
    }

    @Property(tries = 500)
    void resolvingLeaves_isTheDeepMergeOfTheTrees(@ForAll("chains") List<ObjectNode> trees) {
        JsonNode expected = Json.NODES.objectNode();
        for (int i = trees.size() - 1; i >= 0; i--) {
            expected = deepMerge(expected, trees.get(i));
        }

        ObjectNode resolved = Json.build(Inheritance.resolvedValues(sources(trees)));

        assertThat(Json.canonical(resolved)).as("chain %s", trees).isEqualTo(Json.canonical(expected));
    }

    @Property(tries = 500)
    void resolvingOnePath_givesTheValueResolvingEverythingGives(@ForAll("chains") List<ObjectNode> trees,
                                                               @ForAll("paths") String path) {
        List<Inheritance.Source> chain = sources(trees);
        Optional<JsonNode> whole = Optional.ofNullable(Json.build(Inheritance.resolvedValues(chain)).at(
                "/" + path.replace('.', '/'))).filter(node -> !node.isMissingNode());

        Optional<JsonNode> one = Inheritance.valueAt(Inheritance.resolve(chain, path), path);

        assertThat(one.map(Json::canonical)).as("%s at %s", trees, path).isEqualTo(whole.map(Json::canonical));
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(3).map(segments -> String.join(".", segments));
    }
}
