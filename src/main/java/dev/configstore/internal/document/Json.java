package dev.configstore.internal.document;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON handling shared by the store: the one configured mapper, the canonical text form,
 * flattening a tree into leaves and building it back, and the document checksum.
 *
 * <p>A <em>leaf</em> is a value that is not a non-empty object: a scalar, an array or an empty
 * object. A document is the set of its leaves keyed by stored path.
 *
 * <p>Checksum: each leaf's digest is SHA-256 over the UTF-8 bytes of
 * {@code path + U+0000 + canonical JSON of the value}; a document's checksum is the sum of its
 * leaves' digests modulo 2^256, written as 64 hex digits. A sum can be updated by subtracting
 * the digests of removed leaves and adding those of new ones, so a write costs the size of
 * the change, not of the document.
 */
public final class Json {

    /** The deepest nesting a value may have, counted in object and array levels. */
    public static final int MAX_DEPTH = ConfigKey.MAX_SEGMENTS;

    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
    private static final HexFormat HEX = HexFormat.of();
    public static final String EMPTY_CHECKSUM = "0".repeat(64);

    /**
     * The node factory of every reader: decimals exactly as written, and a decimal stays a
     * decimal. Read from {@code 1.5e1}, a BigDecimal has scale 0 and would be written back as
     * {@code 15}, an integer to every reader after; it is made {@code 15.0}.
     */
    public static final JsonNodeFactory NODES = new JsonNodeFactory(true) {
        private static final long serialVersionUID = 1L;

        @Override
        public ValueNode numberNode(BigDecimal value) {
            return super.numberNode(value != null && value.scale() == 0 ? value.setScale(1) : value);
        }
    };

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .nodeFactory(NODES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + 1)
                .build());
    }

    private Json() {
    }

    /** The mapper every part of the store uses. Do not reconfigure it. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Parses JSON text, naming {@code what} in the error. */
    public static JsonNode parse(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT,
                    what + " is not valid JSON: " + e.getOriginalMessage()
                            + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() : ""), e);
        }
    }

    /** Converts any value (a JsonNode, string, number, map, record, ...) to a tree. */
    public static JsonNode toTree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        try {
            return value == null ? MAPPER.nullNode() : MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigStoreException(ErrorCode.INVALID_INPUT,
                    "cannot convert a " + value.getClass().getName() + " to JSON: " + e.getMessage(), e);
        }
    }

    /** The canonical text: no whitespace, object keys sorted by UTF-16 code units. */
    public static String canonical(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            writeCanonical(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeCanonical(JsonNode node, JsonGenerator generator) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            generator.writeStartObject();
            for (String name : names) {
                generator.writeFieldName(name);
                writeCanonical(node.get(name), generator);
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                writeCanonical(element, generator);
            }
            generator.writeEndArray();
        } else if (node.isBigDecimal() && node.decimalValue().scale() == 0) {
            // a decimal of scale 0 (1.5e1 read exactly, or given through the API) written plain
            // would be the integer 15 to every reader: written as 15.0 it stays a decimal
            generator.writeNumber(node.decimalValue().setScale(1));
        } else {
            MAPPER.writeTree(generator, node);
        }
    }

    /** The key policy in words, for errors. */
    public static final String KEY_POLICY = "the store's keys are not empty and hold no control characters";

    /**
     * Why a member name cannot be a key segment, or null if it can: the store's key policy is
     * that a segment is not empty (a dotted key with an empty part would be ambiguous) and holds
     * no control character (keys are shown in terminals, logs and SQL results, one per line). The
     * readers apply it while they still know the line, so an import error can point at it.
     */
    public static String keyProblem(String name) {
        if (name.isEmpty()) {
            return "an empty key (" + KEY_POLICY + ")";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "the key '" + name.replaceAll("\\p{Cntrl}", "?") + "' holds the control character U+"
                        + String.format("%04X", (int) name.charAt(i)) + " (" + KEY_POLICY + ")";
            }
        }
        return null;
    }

    /**
     * Flattens {@code value}, placed at stored path {@code path} ({@code ""} for the root), into
     * leaves. Validates object member names as key segments and the nesting depth.
     */
    public static void flatten(String path, JsonNode value, Map<String, JsonNode> leaves) {
        flatten(path, value, leaves, true);
    }

    /**
     * Flattens like {@link #flatten(String, JsonNode, Map)}; with {@code checkDepth} false the
     * depth is not checked (content the store already holds, written under older limits).
     *
     * <p>Depth is one rule on every path: a leaf's key segments plus the levels of arrays and
     * objects inside its value, which is the nesting depth of the JSON document that holds it
     * (the root object counts one), at most {@value #MAX_DEPTH}.
     */
    public static void flatten(String path, JsonNode value, Map<String, JsonNode> leaves, boolean checkDepth) {
        flatten(path, value, leaves, path.isEmpty() ? 0 : KeyPaths.segments(path).size(), checkDepth);
    }

    private static void flatten(String path, JsonNode value, Map<String, JsonNode> leaves, int segments,
                                boolean checkDepth) {
        if (SecretBox.isSecret(value) && !path.isEmpty()) { // a stored secret: one value, never keys
            SecretBox.checkShape(path, value);
            leaves.put(path, value);
        } else if (value.isObject() && !value.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                if (keyProblem(name) != null) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "invalid key under '"
                            + (path.isEmpty() ? "(root)" : shorten(path)) + "': member name '"
                            + name.replaceAll("\\p{Cntrl}", "?") + "' is empty or has a control character");
                }
                String child = KeyPaths.child(path, name);
                if (child.length() > ConfigKey.MAX_LENGTH) {
                    throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + shorten(child)
                            + "' is longer than " + ConfigKey.MAX_LENGTH + " characters");
                }
                if (segments + 1 > MAX_DEPTH) {
                    throw tooDeep(child);
                }
                flatten(child, field.getValue(), leaves, segments + 1, checkDepth);
            }
        } else if (value.isObject() && path.isEmpty()) {
            return; // an empty document has no leaves
        } else {
            if (value.isMissingNode() || value.isPojo()) {
                throw new ConfigStoreException(ErrorCode.INVALID_INPUT, "value at '" + shorten(path) + "' is not JSON");
            }
            if (checkDepth && value.isContainerNode() && segments + containerDepth(value, MAX_DEPTH) > MAX_DEPTH) {
                throw tooDeep(path);
            }
            leaves.put(path, value);
        }
    }

    /** Levels of arrays and objects in a value (a scalar has none), counted up to {@code cap} + 1. */
    private static int containerDepth(JsonNode node, int cap) {
        if (!node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        if (cap > 0) {
            for (JsonNode child : node) {
                deepest = Math.max(deepest, containerDepth(child, cap - 1));
            }
        }
        return 1 + deepest;
    }

    static ConfigStoreException tooDeep(String path) {
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, "value at '" + shorten(path)
                + "' nests deeper than " + MAX_DEPTH + " levels (key segments plus arrays and objects)");
    }

    /** Builds the tree of a document from its leaves, taken in any order. */
    public static ObjectNode build(Iterable<Map.Entry<String, JsonNode>> leaves) {
        ObjectNode root = MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> leaf : leaves) {
            List<String> segments = KeyPaths.segments(leaf.getKey());
            ObjectNode parent = root;
            for (int i = 0; i < segments.size() - 1; i++) {
                JsonNode next = parent.get(segments.get(i));
                if (!(next instanceof ObjectNode)) {
                    next = parent.putObject(segments.get(i));
                }
                parent = (ObjectNode) next;
            }
            String last = segments.get(segments.size() - 1);
            JsonNode value = leaf.getValue();
            if (value.isObject() && parent.get(last) instanceof ObjectNode) {
                continue; // an empty-object leaf never coexists with children; keep the children
            }
            parent.set(last, value.deepCopy());
        }
        return root;
    }

    /** SHA-256 of bytes, as 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** SHA-256 of a text's UTF-8 bytes, as 64 lower-case hex digits. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 digest of one leaf, as an unsigned number. */
    public static BigInteger leafDigest(String path, String canonicalValue) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(canonicalValue.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static BigInteger parseChecksum(String hex) {
        return new BigInteger(1, HEX.parseHex(hex));
    }

    public static String formatChecksum(BigInteger sum) {
        BigInteger reduced = sum.mod(MODULUS);
        String hex = reduced.toString(16);
        return "0".repeat(64 - hex.length()) + hex;
    }

    public static BigInteger add(BigInteger sum, BigInteger digest) {
        return sum.add(digest).mod(MODULUS);
    }

    public static BigInteger subtract(BigInteger sum, BigInteger digest) {
        return sum.subtract(digest).mod(MODULUS);
    }

    public static String shorten(String text) {
        String shown = text.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 80 ? shown.substring(0, 77) + "..." : shown;
    }
}
