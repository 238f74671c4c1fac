package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML 1.2 into a tree through SnakeYAML Engine's node graph, which expands anchors and
 * aliases (Jackson's YAML parser would hand an alias back as its name). Plain scalars resolve by
 * YAML 1.2's Core schema: {@code NO}, {@code on}, {@code yes} are strings, {@code 0777} is the
 * integer 777, {@code 0o17} and {@code 0x1F} are octal and hexadecimal, {@code ~} and {@code null}
 * are null. Merge keys ({@code <<}, a YAML 1.1 type that compose files use everywhere) merge as
 * YAML 1.1 defines them. Bounded by nesting and by a budget of values and characters that
 * expanding aliases may produce, so an alias bomb stops early while an ordinary file with many
 * aliases passes. Integers and floats keep every digit; timestamps stay text.
 */
final class YamlReader {

    private static final CoreSchema CORE = new CoreSchema();
    private static final java.util.Set<Tag> SCALAR_TAGS = java.util.Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL,
            Tag.NULL, Tag.MERGE);

    /** A file may use this many aliases of collections; the expansion budget is what stops a bomb. */
    static final int MAX_ALIASES = 10_000;

    private final LoadSettings settings;
    private final int maxDepth;
    private final long maxNodes;
    private final long maxChars;

    YamlReader(int maxDepth, long maxBytes) {
        this.settings = LoadSettings.builder()
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes))
                .setSchema(new CoreSchema())
                .build();
        this.maxDepth = maxDepth;
        // a file without aliases has fewer values than half its bytes and fewer characters of text
        // than its bytes: anything beyond that comes from expanding aliases
        this.maxNodes = maxBytes / 2 + 1_000;
        this.maxChars = maxBytes;
    }

    /** The tree, or {@code null} for a file without a document. */
    JsonNode read(String text, String source) {
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            throw new ImportException(source, mark.map(m -> m.getLine() + 1).orElse(0),
                    mark.map(m -> m.getColumn() + 1).orElse(0), firstLine(e.getProblem() != null ? e.getProblem()
                    : e.getMessage()));
        } catch (YamlEngineException e) {
            throw new ImportException(source, 0, 0, firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new ImportException(source, 0, 0, "nests deeper than " + (maxDepth - 1) + " levels");
        }
        if (root.isEmpty()) {
            return null;
        }
        return new Conversion(source).convert(root.get(), 0);
    }

    private final class Conversion {
        private final String source;
        private final Map<Node, Boolean> onPath = new IdentityHashMap<>();
        private long nodes;
        private long chars;

        Conversion(String source) {
            this.source = source;
        }

        JsonNode convert(Node node, int depth) {
            if (++nodes > maxNodes) {
                throw error(node, "expanding its aliases makes more than " + maxNodes + " values; refused as an alias"
                        + " bomb");
            }
            if (depth > maxDepth) {
                throw error(node, "nests deeper than " + (maxDepth - 1) + " levels");
            }
            checkTag(node);
            if (onPath.put(node, Boolean.TRUE) != null) {
                throw error(node, "an alias refers to a collection that contains it");
            }
            try {
                if (node instanceof MappingNode mapping) {
                    ObjectNode object = JsonNodeFactory.instance.objectNode();
                    List<Node> merges = new ArrayList<>();
                    for (NodeTuple tuple : mapping.getValue()) {
                        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                            throw error(tuple.getKeyNode(), "a key must be a plain value, not a list or a mapping");
                        }
                        if (isMergeKey(key)) {
                            merges.add(tuple.getValueNode());
                            continue;
                        }
                        String name = key.getValue();
                        String problem = Json.keyProblem(name);
                        if (problem != null) {
                            throw error(key, problem);
                        }
                        if (object.has(name)) {
                            throw error(key, "duplicate key '" + name + "'");
                        }
                        object.set(name, convert(tuple.getValueNode(), depth + 1));
                    }
                    for (Node merged : merges) {
                        merge(object, merged, depth);
                    }
                    return object;
                }
                if (node instanceof SequenceNode sequence) {
                    ArrayNode array = JsonNodeFactory.instance.arrayNode();
                    for (Node element : sequence.getValue()) {
                        array.add(convert(element, depth + 1));
                    }
                    return array;
                }
                return scalar((ScalarNode) node);
            } finally {
                onPath.remove(node);
            }
        }

        /**
         * A tag the store could not keep is refused rather than dropped: only the core schema's
         * tags, on the kind of node they name, and an explicit scalar tag only on text that the
         * core schema reads as that type ({@code !!bool yes} is not a boolean in YAML 1.2).
         */
        private void checkTag(Node node) {
            Tag tag = node.getTag();
            if (node instanceof MappingNode) {
                if (!tag.equals(Tag.MAP)) {
                    throw error(node, "the tag " + shown(tag) + " on a mapping is not one the store can keep;"
                            + " only the YAML 1.2 core schema's tags are read");
                }
                return;
            }
            if (node instanceof SequenceNode) {
                if (!tag.equals(Tag.SEQ)) {
                    throw error(node, "the tag " + shown(tag) + " on a sequence is not one the store can keep;"
                            + " only the YAML 1.2 core schema's tags are read");
                }
                return;
            }
            if (!SCALAR_TAGS.contains(tag)) {
                throw error(node, "the tag " + shown(tag) + " is not one the store can keep (only !!str, !!int, !!float,"
                        + " !!bool and !!null on values); remove it to keep the value as text");
            }
            if (node.isResolved() || tag.equals(Tag.STR)) {
                return;
            }
            String text = ((ScalarNode) node).getValue();
            Tag read = CORE.getScalarResolver().resolve(text, true);
            boolean matches = read.equals(tag) || (tag.equals(Tag.FLOAT) && read.equals(Tag.INT));
            if (!matches) {
                throw error(node, "'" + text + "' is not a " + shown(tag) + " value in YAML 1.2's core schema;"
                        + " remove the tag to keep it as text");
            }
        }

        private String shown(Tag tag) {
            String name = tag.getValue();
            return name.startsWith(Tag.PREFIX) ? "!!" + name.substring(Tag.PREFIX.length()) : name;
        }

        private boolean isMergeKey(ScalarNode key) {
            return key.getTag().equals(Tag.MERGE) || (key.getScalarStyle() == ScalarStyle.PLAIN
                    && key.getValue().equals("<<"));
        }

        /**
         * YAML 1.1's merge: the keys of a mapping, or of each mapping of a sequence in order,
         * that the mapping does not have already (its own keys win, then the earlier merges).
         */
        private void merge(ObjectNode object, Node merged, int depth) {
            List<Node> sources = merged instanceof SequenceNode sequence ? sequence.getValue() : List.of(merged);
            for (Node source : sources) {
                JsonNode converted = convert(source, depth);
                if (!converted.isObject()) {
                    throw error(source, "a merge key (<<) needs a mapping or a list of mappings");
                }
                converted.fields().forEachRemaining(field -> {
                    if (!object.has(field.getKey())) {
                        object.set(field.getKey(), field.getValue());
                    }
                });
            }
        }

        private JsonNode scalar(ScalarNode node) {
            String text = node.getValue();
            chars += text.length();
            if (chars > maxChars) {
                throw error(node, "expanding its aliases makes more than " + maxChars + " characters of values;"
                        + " refused as an alias bomb");
            }
            Tag tag = node.getTag();
            JsonNodeFactory factory = Json.NODES;
            if (tag.equals(Tag.NULL)) {
                return factory.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return factory.booleanNode(text.equalsIgnoreCase("true"));
            }
            if (tag.equals(Tag.INT)) {
                BigInteger value = integer(text.replace("_", ""));
                if (value != null) {
                    // the node types Jackson's JSON parser would make for the same digits
                    return value.bitLength() < 32 ? factory.numberNode(value.intValue())
                            : value.bitLength() < 64 ? factory.numberNode(value.longValue()) : factory.numberNode(value);
                }
            }
            if (tag.equals(Tag.FLOAT)) {
                String plain = text.replace("_", "");
                if (plain.toLowerCase(Locale.ROOT).contains("inf") || plain.toLowerCase(Locale.ROOT).contains("nan")) {
                    throw error(node, "'" + text + "' is not a number the store can hold (infinity and NaN are not"
                            + " JSON numbers); quote it to keep it as text");
                }
                try {
                    return factory.numberNode(new BigDecimal(plain));
                } catch (NumberFormatException e) {
                    return factory.textNode(text);
                }
            }
            return factory.textNode(text); // strings, timestamps, binary: the text as written
        }

        private BigInteger integer(String text) {
            String digits = text;
            boolean negative = false;
            if (digits.startsWith("-") || digits.startsWith("+")) {
                negative = digits.startsWith("-");
                digits = digits.substring(1);
            }
            try {
                BigInteger value;
                if (digits.startsWith("0x")) {
                    value = new BigInteger(digits.substring(2), 16);
                } else if (digits.startsWith("0o")) {
                    value = new BigInteger(digits.substring(2), 8);
                } else if (digits.startsWith("0b")) {
                    value = new BigInteger(digits.substring(2), 2);
                } else {
                    value = new BigInteger(digits);
                }
                return negative ? value.negate() : value;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private ImportException error(Node node, String problem) {
            Optional<Mark> mark = node.getStartMark();
            return new ImportException(source, mark.map(m -> m.getLine() + 1).orElse(0),
                    mark.map(m -> m.getColumn() + 1).orElse(0), problem);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        return message.strip().split("\r?\n", 2)[0];
    }
}
