package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.ImportException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INI, written by hand: no well-kept Java library reads and writes INI into a tree with line
 * numbers in its errors. The dialect: {@code [section]} headers whose names are the store's
 * dotted keys (escapes included), {@code key = value} lines, {@code ;} and {@code #} comments,
 * keys before the first section at the top level. Values are strings.
 */
final class IniCodec {

    private IniCodec() {
    }

    static ObjectNode read(String text, String source) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode section = root;
        String sectionName = "";
        Set<String> seenSections = new HashSet<>();
        Set<String> seenKeys = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ImportException(source, lineNumber, 1, "a section header must look like [name]");
                }
                sectionName = line.substring(1, line.length() - 1).strip();
                if (!seenSections.add(sectionName)) {
                    throw new ImportException(source, lineNumber, 1, "section [" + sectionName + "] appears twice");
                }
                section = sectionNode(root, sectionName, source, lineNumber);
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new ImportException(source, lineNumber, 1, "expected key = value, a [section] or a comment");
            }
            String key = line.substring(0, equals).strip();
            String value = line.substring(equals + 1).strip();
            if (key.isEmpty() || key.chars().anyMatch(Character::isISOControl)) {
                throw new ImportException(source, lineNumber, 1, "empty key or a control character in the key");
            }
            String qualified = sectionName + "\u0000" + key;
            if (!seenKeys.add(qualified) || section.has(key)) {
                throw new ImportException(source, lineNumber, 1, "key '" + key + "' appears twice in "
                        + (sectionName.isEmpty() ? "the top level" : "section [" + sectionName + "]"));
            }
            section.put(key, unquote(value));
        }
        return root;
    }

    private static ObjectNode sectionNode(ObjectNode root, String name, String source, int line) {
        List<String> segments;
        try {
            segments = ConfigKey.parse(name).segments();
        } catch (ConfigStoreException e) {
            throw new ImportException(source, line, 1, "section [" + name + "]: " + e.getMessage());
        }
        ObjectNode node = root;
        for (String segment : segments) {
            JsonNode child = node.get(segment);
            if (child == null) {
                child = node.putObject(segment);
            } else if (!child.isObject()) {
                throw new ImportException(source, line, 1, "section [" + name + "] clashes with the key '"
                        + segment + "' set before");
            }
            node = (ObjectNode) child;
        }
        return node;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    /** Top-level scalars first, then one section per object, named by its dotted key. */
    static String write(ObjectNode tree) {
        StringBuilder out = new StringBuilder();
        writeMembers(out, tree);
        writeSections(out, tree, "");
        return out.toString();
    }

    private static void writeMembers(StringBuilder out, ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isObject()) {
                String name = field.getKey();
                if (name.contains("=") || name.startsWith("[") || name.startsWith(";") || name.startsWith("#")
                        || !name.equals(name.strip())) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + name
                            + "' cannot be written as an INI key");
                }
                out.append(name).append(" = ").append(text(field.getValue())).append('\n');
            }
        }
    }

    private static void writeSections(StringBuilder out, ObjectNode node, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject()) {
                String name = path.isEmpty() ? ConfigKey.of(field.getKey()).toString()
                        : path + "." + ConfigKey.of(field.getKey()).toString();
                out.append('\n').append('[').append(name).append("]\n");
                writeMembers(out, (ObjectNode) field.getValue());
                writeSections(out, (ObjectNode) field.getValue(), name);
            }
        }
    }

    private static String text(JsonNode value) {
        String text = value.isTextual() ? value.asText() : value.isNull() ? "" : value.toString();
        boolean needsQuotes = !text.equals(text.strip()) || (text.startsWith("\"") && text.endsWith("\""))
                || text.contains("\n") || text.contains("\r");
        if (text.contains("\n") || text.contains("\r")) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "a value with a line break cannot be written"
                    + " to INI: " + text.replace("\n", "\\n").replace("\r", "\\r"));
        }
        return needsQuotes ? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : text;
    }
}
