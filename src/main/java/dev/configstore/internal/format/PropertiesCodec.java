package dev.configstore.internal.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.javaprop.JavaPropsMapper;
import dev.configstore.format.ImportException;
import dev.configstore.internal.Json;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Java {@code .properties} through {@link Properties} (the JDK's own reader: escapes, line
 * continuations, {@code =}, {@code :} and space separators) and Jackson's properties module,
 * which splits names at dots into the tree. A name that has a value and also names below it
 * ({@code key.converter} beside {@code key.converter.schemas.enable}, the ordinary shape of
 * Kafka, log4j and Spring files) keeps its value under the member {@value TextFormats#OWN_VALUE};
 * writing turns it back into the plain name.
 */
final class PropertiesCodec {

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

    /** The line where {@code key} is defined (the last such line), or 0 if it is written with escapes. */
    private static int lineOf(String text, String key) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].stripLeading();
            if (line.startsWith(key) && (line.length() == key.length()
                    || "=: \t\f".indexOf(line.charAt(key.length())) >= 0)) {
                return i + 1;
            }
        }
        return 0;
    }

    String write(ObjectNode tree) throws JsonProcessingException {
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
                // '/' follows '.': the names from owner + "." up to it are those below owner
                if (names.subSet(owner + ".", true, owner + "/", false).size() > 1) {
                    name = owner; // as the file had it: a value beside the keys below
                }
            }
            named.put(name, entry.getValue());
        }
        return mapper.writeValueAsString(named);
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
