package dev.configstore.internal.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.javaprop.JavaPropsMapper;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Java {@code .properties} through {@link Properties} (the JDK's own reader: escapes, line
 * continuations, {@code =}, {@code :} and space separators) and Jackson's properties module,
 * which splits names at dots into the tree. A name that has a value and also names below it
 * ({@code key.converter} beside {@code key.converter.schemas.enable}, the ordinary shape of
 * Kafka, log4j and Spring files) keeps its value under the member {@value TextFormats#OWN_VALUE};
 * writing turns it back into the plain name.
 */
final class PropertiesCodec {

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final JavaPropsMapper mapper;

    PropertiesCodec(JavaPropsMapper mapper) {
        this.mapper = mapper;
    }

    JsonNode read(String text, String source) {
        Properties loaded = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                if (containsKey(key)) {
                    throw new DuplicateKey((String) key);
                }
                return super.put(key, value);
            }
        };
        try {
            loaded.load(new StringReader(text));
        } catch (DuplicateKey duplicate) {
            throw new ImportException(source, lineOf(text, duplicate.key), 0, "key '" + duplicate.key
                    + "' appears twice");
        } catch (IllegalArgumentException | IOException e) {
            throw new ImportException(source, 0, 0, TextFormats.firstLine(e.getMessage()));
        }
        NavigableSet<String> keys = new TreeSet<>(loaded.stringPropertyNames());
        Properties tree = new Properties();
        for (String key : keys) {
            for (String segment : key.split("\\.", -1)) {
                String problem = Json.keyProblem(segment);
                if (problem != null) {
                    throw new ImportException(source, lineOf(text, key), 0, "in '"
                            + key.replaceAll("\\p{Cntrl}", "?") + "': " + problem);
                }
            }
            String below = keys.ceiling(key + ".");
            String name = key;
            if (below != null && below.startsWith(key + ".")) {
                name = key + "." + TextFormats.OWN_VALUE;
                if (loaded.containsKey(name)) {
                    throw new ImportException(source, lineOf(text, name), 0, "key '" + name + "' is where the value"
                            + " of '" + key + "' goes, since keys follow below it; the file has both");
                }
            }
            tree.put(name, loaded.getProperty(key));
        }
        try {
            return mapper.readPropertiesAs(tree, JsonNode.class);
        } catch (IOException e) {
            throw new ImportException(source, 0, 0, TextFormats.firstLine(e.getMessage()));
        }
    }

    /**
     * The line where {@code key} is defined (the last definition), or 0. Each logical line (a
     * line and the lines its trailing backslashes continue it onto, comments and blank lines
     * left out) is parsed by {@link Properties} itself, so an escaped key is found and text in a
     * continued value that looks like a key is not taken for one.
     */
    static int lineOf(String text, String key) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        int found = 0;
        for (int i = 0; i < lines.length; i++) {
            String first = lines[i].stripLeading();
            if (first.isEmpty() || first.startsWith("#") || first.startsWith("!")) {
                continue;
            }
            int start = i;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (continues(lines[i]) && i + 1 < lines.length) {
                i++;
                logical.append('\n').append(lines[i]);
            }
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) {
                continue; // a malformed escape: the whole file's load reports it
            }
            if (one.containsKey(key)) {
                found = start + 1;
            }
        }
        return found;
    }

    /** Whether a line ends in an odd number of backslashes: it continues on the next. */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    String write(ObjectNode tree) throws JsonProcessingException {
        checkNames(tree, "");
        Map<String, String> flat;
        try {
            flat = mapper.writeValueAsMap(tree);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String suffix = "." + TextFormats.OWN_VALUE;
        NavigableSet<String> names = new TreeSet<>(flat.keySet());
        Map<String, String> named = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : flat.entrySet()) {
            String name = entry.getKey();
            if (name.endsWith(suffix)) {
                String owner = name.substring(0, name.length() - suffix.length());
                // '/' follows '.': the names from owner + "." up to it are those below owner, this
                // one among them; a view's ends are found in log time, its size is counted
                NavigableSet<String> below = names.subSet(owner + ".", true, owner + "/", false);
                if (!below.first().equals(below.last())) {
                    name = owner; // as the file had it: a value beside the keys below
                }
            }
            named.put(name, entry.getValue());
        }
        StringBuilder out = new StringBuilder();
        named.forEach((name, value) -> {
            escape(name, true, out);
            out.append('=');
            escape(value, false, out);
            out.append('\n');
        });
        return out.toString();
    }

    /**
     * Escapes as {@link Properties#store(java.io.OutputStream, String)} does, so the JDK's reader
     * (in either encoding) gives back the same text: backslash escapes for the separators,
     * comment marks and whitespace (a value's leading spaces, which the reader would skip), and
     * a backslash-u escape of four hex digits for everything outside printable ASCII.
     */
    private static void escape(String text, boolean key, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '=', ':', '#', '!' -> out.append('\\').append(c);
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /**
     * A .properties name is split at its dots and a part of digits is an array index, so a key
     * with a dot in it or made of digits would come back as other keys: refused, naming it.
     */
    private static void checkNames(JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String key = path.isEmpty() ? name : path + "." + name;
                String why = name.contains(".") ? "has a dot, where .properties names are split"
                        : DIGITS.matcher(name).matches() ? "is made of digits, which .properties reads as an array index"
                        : null;
                if (why != null) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + key + "' " + why
                            + ", so the document cannot be written as .properties");
                }
                checkNames(field.getValue(), key);
            }
        } else if (node.isArray()) {
            int index = 0;
            for (JsonNode element : node) {
                checkNames(element, path + "[" + index++ + "]");
            }
        }
    }

    private static final class DuplicateKey extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String key;

        DuplicateKey(String key) {
            super(null, null, false, false);
            this.key = key;
        }
    }
}
