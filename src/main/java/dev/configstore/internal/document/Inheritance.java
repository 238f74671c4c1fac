package dev.configstore.internal.document;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Resolves a document through the chain of parents it extends, on the flattened leaves: a deep
 * merge where objects merge key by key, the child wins, and arrays and scalars are replaced
 * whole. Every resolved leaf remembers the document that supplied it (for {@code --explain}).
 */
public final class Inheritance {

    /** One document of a chain as some revision saw it. */
    public record Source(String name, long lastChanged, DocumentMeta meta, NavigableMap<String, Leaf> leaves) {
    }

    /** A resolved leaf and the document it came from. */
    public record Supplied(Leaf leaf, String document) {
    }

    private Inheritance() {
    }

    /**
     * The chain from {@code name} up to the document that extends nothing: {@code name} first.
     * Empty if {@code name} itself does not exist. The write path refuses cycles and missing
     * parents, so meeting one here means the rows were changed behind the store's back.
     */
    public static List<Source> chain(String name, Function<String, Source> lookup) {
        List<Source> chain = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String next = name;
        while (next != null) {
            if (!seen.add(next)) {
                throw new ConfigStoreException(ErrorCode.INTERNAL, "the stored parents of '" + name
                        + "' form a cycle: " + String.join(" -> ", seen) + " -> " + next);
            }
            Source source = lookup.apply(next);
            if (source == null) {
                if (chain.isEmpty()) {
                    return List.of();
                }
                throw new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + chain.get(chain.size() - 1).name()
                        + "' extends '" + next + "', which does not exist");
            }
            chain.add(source);
            next = source.meta().parent();
        }
        return chain;
    }

    /**
     * Merges the chain, root first. With a {@code path}, only the leaves that can bear on the
     * value at that path take part (the path, its descendants and its ancestors), which gives
     * the same value there as resolving everything.
     */
    public static TreeMap<String, Supplied> resolve(List<Source> chain, String path) {
        TreeMap<String, Supplied> resolved = new TreeMap<>();
        if (chain.size() == 1) {
            // one document's own leaves never overlap (the write path keeps no leaf below another)
            Source only = chain.get(0);
            for (Map.Entry<String, Leaf> leaf : relevant(only.leaves(), path)) {
                resolved.put(leaf.getKey(), new Supplied(leaf.getValue(), only.name()));
            }
            return resolved;
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Source source = chain.get(i);
            for (Map.Entry<String, Leaf> leaf : relevant(source.leaves(), path)) {
                apply(resolved, leaf.getKey(), new Supplied(leaf.getValue(), source.name()));
            }
        }
        return resolved;
    }

    private static Collection<Map.Entry<String, Leaf>> relevant(NavigableMap<String, Leaf> leaves, String path) {
        if (path == null) {
            return leaves.entrySet();
        }
        List<Map.Entry<String, Leaf>> relevant = new ArrayList<>();
        for (String ancestor : KeyPaths.ancestors(path)) {
            Leaf leaf = leaves.get(ancestor);
            if (leaf != null) {
                relevant.add(Map.entry(ancestor, leaf));
            }
        }
        Leaf exact = leaves.get(path);
        if (exact != null) {
            relevant.add(Map.entry(path, exact));
        }
        relevant.addAll(descendants(leaves, path).entrySet());
        return relevant;
    }

    /** Lays one leaf of a child over what its ancestors resolved to. */
    private static void apply(TreeMap<String, Supplied> resolved, String path, Supplied leaf) {
        for (String ancestor : KeyPaths.ancestors(path)) {
            resolved.remove(ancestor); // a parent's scalar, array or empty object gives way to the child's object
        }
        if (leaf.leaf().value().isObject()) {
            // the child's empty object merges with the parent's object there: the parent's keys stay
            if (descendants(resolved, path).isEmpty()) {
                resolved.put(path, leaf);
            }
        } else {
            descendants(resolved, path).clear();
            resolved.put(path, leaf);
        }
    }

    private static <V> NavigableMap<String, V> descendants(NavigableMap<String, V> leaves, String path) {
        return leaves.subMap(KeyPaths.descendantsFrom(path), true, KeyPaths.descendantsTo(path), false);
    }

    /** The value at {@code path} in resolved leaves: a leaf, a subtree, or empty. */
    public static Optional<JsonNode> valueAt(TreeMap<String, Supplied> resolved, String path) {
        return valueAt(resolved, path, supplied -> supplied.leaf().value());
    }

    /** The value at {@code path} in leaves keyed by stored path, whatever holds each leaf's value. */
    public static <V> Optional<JsonNode> valueAt(NavigableMap<String, V> leaves, String path,
                                                 Function<V, JsonNode> valueOf) {
        V exact = leaves.get(path);
        if (exact != null) {
            JsonNode value = valueOf.apply(exact);
            return Optional.of(value.isContainerNode() ? value.deepCopy() : value);
        }
        NavigableMap<String, V> below = descendants(leaves, path);
        if (below.isEmpty()) {
            return Optional.empty();
        }
        int prefix = path.length() + 1;
        List<Map.Entry<String, JsonNode>> relative = new ArrayList<>();
        for (Map.Entry<String, V> entry : below.entrySet()) {
            relative.add(Map.entry(entry.getKey().substring(prefix), valueOf.apply(entry.getValue())));
        }
        return Optional.of(Json.build(relative));
    }

    /** The whole chain resolved, as leaves in path order for building a tree. */
    public static List<Map.Entry<String, JsonNode>> resolvedValues(List<Source> chain) {
        if (chain.size() == 1) { // nothing to merge: the document's own leaves, already in order
            NavigableMap<String, Leaf> leaves = chain.get(0).leaves();
            List<Map.Entry<String, JsonNode>> values = new ArrayList<>(leaves.size());
            leaves.forEach((path, leaf) -> values.add(Map.entry(path, leaf.value())));
            return values;
        }
        return values(resolve(chain, null));
    }

    /** The leaves of resolved values, for building a tree. */
    public static List<Map.Entry<String, JsonNode>> values(Map<String, Supplied> resolved) {
        List<Map.Entry<String, JsonNode>> values = new ArrayList<>(resolved.size());
        resolved.forEach((path, supplied) -> values.add(Map.entry(path, supplied.leaf().value())));
        return values;
    }

    /**
     * A tree as a source of leaves, validated as the store validates writes (key segments,
     * nesting), so that an import fails before it plans anything.
     */
    public static Source fromTree(String name, com.fasterxml.jackson.databind.node.ObjectNode tree) {
        Map<String, JsonNode> flat = new TreeMap<>();
        Json.flatten("", tree, flat);
        TreeMap<String, Leaf> leaves = new TreeMap<>();
        flat.forEach((path, value) -> leaves.put(path, new Leaf(value, Json.canonical(value), 0)));
        return new Source(name, 0, DocumentMeta.NONE, leaves);
    }

    /** {@code top} laid over {@code base} by the deep merge, {@code top} winning; base may be null. */
    public static com.fasterxml.jackson.databind.node.ObjectNode merge(Source top, Source base) {
        List<Source> chain = new ArrayList<>();
        chain.add(top);
        if (base != null) {
            chain.add(base);
        }
        return Json.build(values(resolve(chain, null)));
    }

    /** The newest revision that changed any document of the chain. */
    public static long lastChanged(List<Source> chain) {
        return chain.stream().mapToLong(Source::lastChanged).max().orElse(0);
    }
}
