package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INI, written by hand: no well-kept Java library reads and writes INI into a tree with line
 * numbers in its errors. The dialect: {@code [section]} headers whose names are the store's
 * dotted keys (escapes included), {@code key = value} lines, {@code ;} and {@code #} comments,
 * keys before the first section at the top level, values continued on more indented lines as
 * Python's configparser reads them (tox.ini, setup.cfg). Values are strings.
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
        Value open = null; // the value that indented lines continue, as in Python's configparser
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i].strip();
            if (line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.isEmpty()) {
                if (open != null) {
                    open.lines.add(""); // kept when an indented line follows, dropped at the end
                }
                continue;
            }
            if (open != null && indent(lines[i]) > open.indent) {
                open.lines.add(line);
                continue;
            }
            if (open != null) {
                open.close();
                open = null;
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
            String problem = Json.keyProblem(key);
            if (problem != null) {
                throw new ImportException(source, lineNumber, 1, problem);
            }
            String qualified = sectionName + "\u0000" + key;
            if (!seenKeys.add(qualified) || section.has(key)) {
                throw new ImportException(source, lineNumber, 1, "key '" + key + "' appears twice in "
                        + (sectionName.isEmpty() ? "the top level" : "section [" + sectionName + "]"));
            }
            section.put(key, unquote(value));
            open = new Value(section, key, value, indent(lines[i]));
        }
        if (open != null) {
            open.close();
        }
        return root;
    }

    private static int indent(String line) {
        int indent = 0;
        while (indent < line.length() && Character.isWhitespace(line.charAt(indent))) {
            indent++;
        }
        return indent;
    }

    /**
     * A value being read: its first line, then each more indented line stripped, joined with line
     * breaks, trailing empty lines dropped (configparser's multi-line values). A value of one line
     * is unquoted as this dialect always did; one of several lines is kept as written.
     */
    private static final class Value {
        final ObjectNode section;
        final String key;
        final int indent;
        final List<String> lines = new ArrayList<>();

        Value(ObjectNode section, String key, String first, int indent) {
            this.section = section;
            this.key = key;
            this.indent = indent;
            lines.add(first);
        }

        void close() {
            while (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            if (lines.size() > 1) {
                section.put(key, String.join("\n", lines));
            }
        }
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
                String value = text(field.getValue(), name);
                if (name.contains("=") || name.startsWith("[") || name.startsWith(";") || name.startsWith("#")
                        || !name.equals(name.strip())) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + name
                            + "' cannot be written as an INI key");
                }
                out.append(name).append(" =").append(value.startsWith("\n") || value.isEmpty() ? "" : " ").append(value)
                        .append('\n');
            }
        }
    }

    private static void writeSections(StringBuilder out, ObjectNode node, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject()) {
                if (!field.getKey().equals(field.getKey().strip())) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + field.getKey() + "' begins or"
                            + " ends with spaces, which an INI section header loses, so it cannot be written as INI");
                }
                String name = path.isEmpty() ? ConfigKey.of(field.getKey()).toString()
                        : path + "." + ConfigKey.of(field.getKey()).toString();
                out.append('\n').append('[').append(name).append("]\n");
                writeMembers(out, (ObjectNode) field.getValue());
                writeSections(out, (ObjectNode) field.getValue(), name);
            }
        }
    }

    private static String text(JsonNode value, String name) {
        String text = value.isTextual() ? value.asText() : value.isNull() ? "" : value.toString();
        if (text.contains("\n") || text.contains("\r")) {
            return continued(text, name);
        }
        boolean needsQuotes = !text.equals(text.strip()) || (text.startsWith("\"") && text.endsWith("\""));
        return needsQuotes ? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : text;
    }

    /**
     * A value with line breaks, written as configparser writes it: the first line after the
     * {@code =}, each further line indented. Reading strips every line and drops trailing empty
     * ones, so a value whose lines have leading or trailing spaces, that ends with a line break,
     * holds a carriage return, or has a line a reader would take for a comment cannot come back
     * the same: it is refused, naming the key.
     */
    private static String continued(String text, String name) {
        String[] lines = text.split("\n", -1);
        String why = null;
        if (text.contains("\r")) {
            why = "it holds a carriage return";
        } else if (lines[lines.length - 1].isEmpty()) {
            why = "it ends with a line break";
        }
        for (int i = 0; i < lines.length && why == null; i++) {
            String line = lines[i];
            if (!line.equals(line.strip())) {
                why = "line " + (i + 1) + " of it begins or ends with spaces";
            } else if (i > 0 && (line.startsWith("#") || line.startsWith(";"))) {
                why = "line " + (i + 1) + " of it would read as a comment";
            }
        }
        if (why != null) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + name + "' holds a value of several"
                    + " lines that INI continuation lines cannot carry exactly (" + why + ")");
        }
        StringBuilder out = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            out.append('\n');
            if (!lines[i].isEmpty()) {
                out.append("    ").append(lines[i]);
            }
        }
        return out.toString();
    }
}
