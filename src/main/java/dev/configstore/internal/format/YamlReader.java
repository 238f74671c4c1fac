package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.format.ImportException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML into a tree through SnakeYAML's node graph, which expands anchors and aliases
 * (Jackson's YAML parser would hand an alias back as its name). Bounded three ways: at most
 * {@value TextFormats#MAX_YAML_ALIASES} aliases of collections, nesting, and a budget of tree
 * nodes that an expansion may produce, so an alias bomb stops early. Scalars keep their YAML
 * type: integers and floats exactly, booleans, null; timestamps stay text.
 */
final class YamlReader {

    private final LoaderOptions options;
    private final int maxDepth;
    private final long maxNodes;
    private final long maxChars;

    YamlReader(int maxDepth, long maxBytes) {
        this.options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(TextFormats.MAX_YAML_ALIASES);
        options.setNestingDepthLimit(maxDepth);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes));
        this.maxDepth = maxDepth;
        // a file without aliases has fewer values than half its bytes and fewer characters of text
        // than its bytes: anything beyond that comes from expanding aliases
        this.maxNodes = maxBytes / 2 + 1_000;
        this.maxChars = maxBytes;
    }

    JsonNode read(String text, String source) {
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ImportException(source, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, firstLine(e.getProblem() != null ? e.getProblem()
                    : e.getMessage()));
        } catch (YAMLException e) {
            throw new ImportException(source, 0, 0, firstLine(e.getMessage()));
        }
        if (root == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        return new Conversion(source).convert(root, 0);
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
            if (onPath.put(node, Boolean.TRUE) != null) {
                throw error(node, "an alias refers to a collection that contains it");
            }
            try {
                if (node instanceof MappingNode mapping) {
                    ObjectNode object = JsonNodeFactory.instance.objectNode();
                    for (NodeTuple tuple : mapping.getValue()) {
                        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                            throw error(tuple.getKeyNode(), "a key must be a plain value, not a list or a mapping");
                        }
                        if (key.getTag().equals(Tag.MERGE)) {
                            throw error(key, "merge keys (<<) are not supported; write the keys out");
                        }
                        String name = key.getValue();
                        if (object.has(name)) {
                            throw error(key, "duplicate key '" + name + "'");
                        }
                        object.set(name, convert(tuple.getValueNode(), depth + 1));
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

        private JsonNode scalar(ScalarNode node) {
            String text = node.getValue();
            chars += text.length();
            if (chars > maxChars) {
                throw error(node, "expanding its aliases makes more than " + maxChars + " characters of values;"
                        + " refused as an alias bomb");
            }
            Tag tag = node.getTag();
            JsonNodeFactory factory = JsonNodeFactory.withExactBigDecimals(true);
            if (tag.equals(Tag.NULL)) {
                return factory.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                String lower = text.toLowerCase(Locale.ROOT);
                return factory.booleanNode(lower.equals("true") || lower.equals("yes") || lower.equals("on")
                        || lower.equals("y"));
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
                    throw error(node, "'" + text + "' has no JSON form (infinity and NaN are not numbers in JSON)");
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
                } else if (digits.length() > 1 && digits.startsWith("0") && digits.chars().allMatch(Character::isDigit)) {
                    value = new BigInteger(digits.substring(1), 8); // YAML 1.1 octal
                } else {
                    value = new BigInteger(digits);
                }
                return negative ? value.negate() : value;
            } catch (NumberFormatException e) {
                return null; // sexagesimal and other YAML 1.1 oddities stay text
            }
        }

        private ImportException error(Node node, String problem) {
            Mark mark = node.getStartMark();
            return new ImportException(source, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, problem);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        return message.strip().split("\r?\n", 2)[0];
    }
}
