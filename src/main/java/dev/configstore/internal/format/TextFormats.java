package dev.configstore.internal.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.javaprop.JavaPropsMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.Format;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import dev.configstore.internal.document.SecretBox;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;

/**
 * Reads and writes document trees in the six text formats, strictly: duplicate keys are errors,
 * nesting is bounded, YAML aliases are bounded, XML may not have a DOCTYPE, and every error
 * names the source and where known the line and column.
 */
public final class TextFormats {

    /** Nesting the parsers accept: the store's own limit plus the document's root object. */
    private static final int MAX_NESTING = Json.MAX_DEPTH + 1;

    /**
     * The member that holds a node's own value beside the keys below it: the text of an XML
     * element with attributes or children, the value of a .properties name that other names
     * continue. No XML element and no key a user types in JSON is likely to have it.
     */
    static final String OWN_VALUE = "@value";

    private final long maxBytes;
    private final ObjectMapper json;
    private final ObjectMapper yaml;
    private final ObjectMapper toml;
    private final XmlCodec xml;
    private final PropertiesCodec properties;
    private final YamlReader yamlReader;

    public TextFormats(long maxBytes) {
        this.maxBytes = maxBytes;
        this.yamlReader = new YamlReader(MAX_NESTING, maxBytes);
        this.json = strict(JsonMapper.builder()).enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        // YAML is read by YamlReader (YAML 1.2); Jackson writes it, quoting every string a YAML 1.1 or
        // 1.2 reader would take for another type
        this.yaml = strict(YAMLMapper.builder(YAMLFactory.builder().build())).build();
        this.toml = strict(TomlMapper.builder()).build();
        XMLInputFactory stax = XMLInputFactory.newFactory();
        stax.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        stax.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // repeated XML elements are how XML writes an array, so they are not duplicate keys here
        XmlMapper xmlMapper = strict(XmlMapper.builder(XmlFactory.builder().xmlInputFactory(stax)
                .nameForTextElement(XmlCodec.TEXT).build()))
                .disable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();
        this.xml = new XmlCodec(xmlMapper, stax);
        JavaPropsMapper propertiesMapper = strict(JavaPropsMapper.builder()).build();
        this.properties = new PropertiesCodec(propertiesMapper);
        for (ObjectMapper mapper : new ObjectMapper[] {json, yaml, toml, xmlMapper, propertiesMapper}) {
            mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING).build());
        }
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
        return builder
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .nodeFactory(Json.NODES);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Parses bytes in a format into a document tree; empty input is refused. */
    public ObjectNode read(Format format, byte[] bytes, String source) {
        return read(format, bytes, source, false);
    }

    /**
     * Parses bytes in a format into a document tree. The readers refuse keys the store cannot
     * hold at their line; lengths and depth are checked when the store takes the tree. Input
     * that holds no document (empty, only whitespace or a byte-order mark, a YAML
     * file without a document, a TOML, INI or .properties file without a single key) is refused
     * unless {@code allowEmpty}: it is what an interrupted write leaves behind, and importing it
     * with replace would wipe a document. An explicit empty object ({@code {}}) is a document.
     */
    public ObjectNode read(Format format, byte[] bytes, String source, boolean allowEmpty) {
        if (bytes.length > maxBytes) {
            throw new ImportException(source, 0, 0, "larger than the limit of " + maxBytes + " bytes (maxImportBytes)");
        }
        String text = Utf8Text.decode(bytes, source);
        if (text.isBlank() && !allowEmpty) {
            throw emptyInput(source);
        }
        if (text.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode tree = switch (format) {
            case JSON -> parseJson(text, source);
            case YAML -> yamlReader.read(text, source);
            case TOML -> TomlReader.read(text, source);
            case XML -> xml.read(text, source);
            case PROPERTIES -> properties.read(text, source);
            case INI -> IniCodec.read(text, source);
        };
        boolean noDocument = tree == null || tree.isMissingNode() || tree.isNull();
        boolean noKeys = tree != null && tree.isObject() && tree.isEmpty()
                && (format == Format.TOML || format == Format.INI || format == Format.PROPERTIES);
        if ((noDocument || noKeys) && !allowEmpty) {
            throw emptyInput(source);
        }
        if (noDocument) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ImportException(source, 1, 1, "the top level must be an object (key: value pairs), not "
                    + tree.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) tree;
    }

    public ObjectNode read(Format format, java.io.InputStream in, String source) {
        return read(format, in, source, false);
    }

    /** Reads a stream under the size limit and parses it; see {@link #read(Format, byte[], String, boolean)}. */
    public ObjectNode read(Format format, java.io.InputStream in, String source, boolean allowEmpty) {
        return read(format, Utf8Text.readLimited(in, maxBytes, source), source, allowEmpty);
    }

    private static ImportException emptyInput(String source) {
        return new ImportException(source, 0, 0, "the input is empty (no document, no keys): an empty or"
                + " half-written file is never imported; pass --allow-empty (ImportOptions.allowEmpty) to import it"
                + " as an empty document");
    }

    /** A parse with Jackson, whose failures {@link #parse(TreeRead, String)} turns into one-line import errors. */
    @FunctionalInterface
    interface TreeRead {
        JsonNode read() throws IOException;
    }

    static JsonNode parse(TreeRead read, String source) {
        try {
            return read.read();
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new ImportException(source, 0, 0, "nests deeper than " + Json.MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw located(source, e);
        } catch (ImportException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImportException(source, 0, 0, firstLine(e.getMessage()));
        }
    }

    /** JSON, with the key policy checked as each member name is read, so a refusal has its line. */
    private JsonNode parseJson(String text, String source) {
        return parse(() -> {
            try (JsonParser parser = new KeyCheckingParser(json.getFactory().createParser(text), source)) {
                return json.readTree(parser);
            }
        }, source);
    }

    /** Refuses a member name the store cannot hold as a key, at the name's position. */
    private static final class KeyCheckingParser extends JsonParserDelegate {
        private final String source;

        KeyCheckingParser(JsonParser parser, String source) {
            super(parser);
            this.source = source;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            return checked(super.nextToken());
        }

        @Override
        public String nextFieldName() throws IOException {
            String name = super.nextFieldName();
            checked(currentToken());
            return name;
        }

        @Override
        public boolean nextFieldName(SerializableString expected) throws IOException {
            boolean matches = super.nextFieldName(expected);
            checked(currentToken());
            return matches;
        }

        private JsonToken checked(JsonToken token) throws IOException {
            if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                String text = getText();
                // the one member name with a control character: a stored secret, as archives carry it
                String problem = token == JsonToken.FIELD_NAME && !text.equals(SecretBox.FIELD) ? Json.keyProblem(text)
                        : null;
                if (problem == null && Utf8Text.loneSurrogate(text) >= 0) {
                    problem = "a lone surrogate (U+" + String.format("%04X", (int) text.charAt(Utf8Text.loneSurrogate(text)))
                            + ") is not a character: RFC 8259 leaves its meaning open, so it is refused rather than"
                            + " stored as something else";
                }
                if (problem != null) {
                    JsonLocation at = currentTokenLocation();
                    throw new ImportException(source, Math.max(0, at.getLineNr()), Math.max(0, at.getColumnNr()),
                            problem);
                }
            }
            return token;
        }
    }

    private static ImportException located(String source, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        int line = location == null ? 0 : Math.max(0, location.getLineNr());
        int column = location == null ? 0 : Math.max(0, location.getColumnNr());
        return new ImportException(source, line, column, firstLine(e.getOriginalMessage()));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String first = message.strip().split("\r?\n", 2)[0];
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }

    /** Writes a tree; refuses what the format cannot express. */
    public byte[] write(Format format, ObjectNode tree) {
        try {
            String text = switch (format) {
                case JSON -> json.writeValueAsString(tree) + "\n";
                case YAML -> yaml.writeValueAsString(tree);
                case TOML -> {
                    checkTomlNumbers(tree, "");
                    JsonNode members = withoutNullMembers(tree, "");
                    // Jackson writes an empty root table as " = {}", which no TOML reader takes
                    yield members.isEmpty() ? "" : toml.writeValueAsString(members);
                }
                case XML -> xml.write(tree);
                case PROPERTIES -> properties.write(tree);
                case INI -> IniCodec.write(tree);
            };
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "cannot write " + format + ": "
                    + firstLine(e.getOriginalMessage()), e);
        }
    }

    /**
     * TOML's integers are 64-bit and its floats binary64: a number outside those would come back
     * different, so it is refused, naming the key.
     */
    private static void checkTomlNumbers(JsonNode node, String path) {
        if (node.isContainerNode()) {
            boolean object = node.isObject();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); object && fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                checkTomlNumbers(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
            if (!object) {
                for (JsonNode element : node) {
                    checkTomlNumbers(element, path);
                }
            }
            return;
        }
        if (node.isIntegralNumber() && !node.canConvertToLong()) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + path + "' holds " + node
                    + ", beyond TOML's 64-bit integers, so the document cannot be written as TOML");
        }
        if (node.isFloatingPointNumber()) {
            java.math.BigDecimal exact = node.decimalValue();
            double nearest = exact.doubleValue();
            if (Double.isInfinite(nearest) || TomlReader.shortest(nearest).compareTo(exact) != 0) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + path + "' holds " + node
                        + ", which TOML's binary64 floats cannot hold exactly, so the document cannot be written as"
                        + " TOML");
            }
        }
    }

    /** TOML has no null: object members that are null are left out; a null inside an array is refused. */
    private static JsonNode withoutNullMembers(JsonNode node, String path) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isNull()) {
                    copy.set(field.getKey(), withoutNullMembers(field.getValue(), path + "." + field.getKey()));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                if (element.isNull()) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "the array at '" + path.substring(1)
                            + "' holds a null, which TOML cannot express");
                }
                copy.add(withoutNullMembers(element, path));
            }
            return copy;
        }
        return node;
    }
}
