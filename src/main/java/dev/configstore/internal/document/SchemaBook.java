package dev.configstore.internal.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.configstore.ConfigKey;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.schema.SchemaViolation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The store's JSON Schemas: checks a schema before it is stored, compiles each stored one once
 * (by its hash: a stored schema never changes) and validates documents against it. Validation is
 * networknt's json-schema-validator, with remote loading off and every reference outside the
 * schema refused up front, so nothing is ever fetched. Thread-safe.
 */
public final class SchemaBook {

    /** The dialects a schema may name in {@code $schema}; without one it is 2020-12. */
    private static final Map<String, SpecificationVersion> DIALECTS = Map.of(
            "https://json-schema.org/draft/2020-12/schema", SpecificationVersion.DRAFT_2020_12,
            "https://json-schema.org/draft/2019-09/schema", SpecificationVersion.DRAFT_2019_09,
            "http://json-schema.org/draft-07/schema", SpecificationVersion.DRAFT_7);
    private static final int MAX_SCHEMA_CHARS = 1_000_000;

    /** Built on first use: it costs about 200 ms cold, which a store without schemas never pays. */
    private volatile SchemaRegistry registry;
    /**
     * The keywords a root schema may use and still be checked on the changed top-level keys
     * alone: each of them judges a property by itself (or, {@code required}, by its presence).
     */
    private static final java.util.Set<String> LOCAL_ROOT = java.util.Set.of("$schema", "$id", "$defs", "definitions",
            "$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "type",
            "properties", "patternProperties", "additionalProperties", "required");

    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final Map<String, Boolean> local = new ConcurrentHashMap<>();
    /** Per document: the schema and revision at which its whole resolved content was last found valid. */
    private final Map<String, String> knownValid = new ConcurrentHashMap<>();

    /** A schema checked for storing: its canonical text and that text's SHA-256. */
    public record Prepared(String hash, String json, JsonNode tree) {
    }

    /**
     * Checks a schema given by a user: an object or a boolean, a known dialect, references only
     * inside itself, valid against its dialect's meta-schema, and compilable. Returns it ready
     * to store.
     */
    public Prepared prepare(JsonNode schema) {
        if (schema == null || !(schema.isObject() || schema.isBoolean())) {
            throw invalid("a JSON Schema is an object or a boolean, not " + (schema == null ? "nothing"
                    : schema.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        String json = Json.canonical(schema);
        if (json.length() > MAX_SCHEMA_CHARS) {
            throw invalid("the schema is " + json.length() + " characters of JSON; the limit is " + MAX_SCHEMA_CHARS);
        }
        String dialect = dialectOf(schema);
        checkReferences(schema, "");
        List<Error> errors;
        try {
            errors = registry().getSchema(SchemaLocation.of(dialect)).validate(schema);
        } catch (RuntimeException e) {
            throw invalid("its meta-schema could not check it: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            StringBuilder lines = new StringBuilder("the schema is not a valid " + dialect + " schema:");
            errors.stream().limit(20).forEach(error -> lines.append("\n  ")
                    .append(error.getInstanceLocation().getNameCount() == 0 ? "(root)" : error.getInstanceLocation())
                    .append(": ").append(error.getMessage()));
            throw invalid(lines.toString());
        }
        String hash = Json.sha256(json);
        compiled.computeIfAbsent(hash, key -> compile(schema));
        return new Prepared(hash, json, schema);
    }

    /**
     * Validates a document's resolved content against the stored schema of that hash, loading
     * its text with {@code texts} the first time.
     */
    public List<SchemaViolation> validate(String document, ObjectNode content, String hash,
                                          Function<String, String> texts) {
        Schema schema = compiled.computeIfAbsent(hash, key -> compile(Json.parse(texts.apply(key), "stored schema")));
        return violations(document, null, schema.validate(content));
    }

    /** The validator's errors as violations; {@code under} names the top-level key they are relative to. */
    private static List<SchemaViolation> violations(String document, String under, List<Error> errors) {
        List<SchemaViolation> violations = new ArrayList<>();
        for (Error error : errors) {
            violations.add(new SchemaViolation(document, keyOf(under, error.getInstanceLocation()), error.getMessage(),
                    Optional.ofNullable(error.getInstanceNode()).filter(node -> !node.isContainerNode())));
        }
        return violations;
    }

    /**
     * Whether the schema of that hash can judge a write by the top-level keys it changes alone:
     * an object schema whose root uses only {@link #LOCAL_ROOT} keywords.
     */
    public boolean isLocal(String hash, Function<String, String> texts) {
        return local.computeIfAbsent(hash, key -> {
            JsonNode root = compiled.computeIfAbsent(key, k -> compile(parse(texts.apply(k)))).getSchemaNode();
            if (!root.isObject()) {
                return false;
            }
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                if (!LOCAL_ROOT.contains(names.next())) {
                    return false;
                }
            }
            JsonNode type = root.get("type");
            return type == null || type.asText().equals("object");
        });
    }

    /**
     * Validates only the top-level keys a write changed: {@code partial} holds their resolved
     * values after the write (a removed key is absent), {@code changed} their stored paths. A
     * key the schema's {@code properties} names is checked against that property's schema alone
     * (when there are no {@code patternProperties}, which apply besides), so the work follows the
     * change, not the document or the schema. Valid only for a
     * {@linkplain #isLocal local} schema and a document that was valid before.
     */
    public List<SchemaViolation> validateKeys(String document, ObjectNode partial, java.util.Set<String> changed,
                                              String hash, Function<String, String> texts) {
        Schema root = compiled.computeIfAbsent(hash, key -> compile(parse(texts.apply(key))));
        JsonNode properties = root.getSchemaNode().path("properties");
        java.util.Set<String> required = new java.util.HashSet<>();
        root.getSchemaNode().path("required").forEach(name -> required.add(name.asText()));
        List<SchemaViolation> violations = new ArrayList<>();
        for (String path : changed) {
            String name = KeyPaths.segments(path).get(0);
            JsonNode value = partial.get(name);
            if (value == null) {
                if (required.contains(name)) {
                    violations.add(new SchemaViolation(document, "", "required property '" + name + "' not found",
                            Optional.empty()));
                }
            } else if (properties.has(name) && !root.getSchemaNode().has("patternProperties")) {
                Schema property = compiled.computeIfAbsent(hash + "/properties/" + name, key -> root.getSubSchema(
                        new NodePath(com.networknt.schema.path.PathType.JSON_POINTER).append("properties").append(name)));
                violations.addAll(violations(document, name, property.validate(value)));
            } else { // patternProperties apply besides properties: the key alone in an object, against the root
                ObjectNode alone = Json.NODES.objectNode();
                alone.set(name, value);
                violations.addAll(violations(document, null, root.validate(alone).stream() // the others are present
                        .filter(error -> !(error.getInstanceLocation().getNameCount() == 0
                                && "required".equals(error.getKeyword()))).toList()));
            }
        }
        return violations;
    }

    /** The stored path of the top-level key a stored path is under. */
    public static String topOf(String path) {
        List<String> ancestors = KeyPaths.ancestors(path);
        return ancestors.isEmpty() ? path : ancestors.get(0);
    }

    /** Whether the document's whole content was found valid against that schema at that revision. */
    public boolean knownValid(String document, String hash, long revision) {
        return (hash + "@" + revision).equals(knownValid.get(document));
    }

    /** Remembers that the document's whole content is valid against that schema at that revision. */
    public void rememberValid(String document, String hash, long revision) {
        knownValid.put(document, hash + "@" + revision);
    }

    /** The schema's text as stored, parsed. */
    public static JsonNode parse(String json) {
        return Json.parse(json, "stored schema");
    }

    /**
     * The tree with the defaults of the schema's {@code properties} filled in where the tree
     * has no value, recursively into objects. The tree is copied first.
     */
    public static ObjectNode withDefaults(JsonNode schema, ObjectNode tree) {
        ObjectNode copy = tree.deepCopy();
        fill(schema, copy, 0);
        return copy;
    }

    private static void fill(JsonNode schema, ObjectNode node, int depth) {
        if (depth > Json.MAX_DEPTH || !schema.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode present = node.get(property.getKey());
            if (present == null && property.getValue().has("default")) {
                present = property.getValue().get("default").deepCopy();
                node.set(property.getKey(), present);
            }
            if (present instanceof ObjectNode object) {
                fill(property.getValue(), object, depth + 1);
            }
        }
    }

    private SchemaRegistry registry() {
        SchemaRegistry built = registry;
        if (built == null) {
            synchronized (this) {
                if (registry == null) {
                    registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
                }
                built = registry;
            }
        }
        return built;
    }

    private Schema compile(JsonNode schema) {
        try {
            Schema compiledSchema = registry().getSchema(schema);
            compiledSchema.initializeValidators();
            return compiledSchema;
        } catch (RuntimeException e) {
            throw invalid("the schema cannot be compiled: " + e.getMessage());
        }
    }

    private static String dialectOf(JsonNode schema) {
        JsonNode named = schema.path("$schema");
        if (named.isMissingNode()) {
            return "https://json-schema.org/draft/2020-12/schema";
        }
        String id = named.asText("");
        String bare = id.endsWith("#") ? id.substring(0, id.length() - 1) : id;
        if (!named.isTextual() || !DIALECTS.containsKey(bare)) {
            throw invalid("$schema '" + Json.shorten(named.toString()) + "' is not a dialect the store knows; use "
                    + String.join(", ", new java.util.TreeSet<>(DIALECTS.keySet())) + " or leave $schema out for 2020-12");
        }
        return bare.equals("http://json-schema.org/draft-07/schema") ? id.endsWith("#") ? id : id + "#" : bare;
    }

    /** Refuses every reference that leaves the schema: the store never fetches one. */
    private static void checkReferences(JsonNode node, String where) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                if ((name.equals("$ref") || name.equals("$dynamicRef") || name.equals("$recursiveRef"))
                        && field.getValue().isTextual() && !field.getValue().asText().startsWith("#")) {
                    throw invalid(name + " '" + Json.shorten(field.getValue().asText()) + "' at "
                            + (where.isEmpty() ? "the root" : where) + " points outside the schema; the store never"
                            + " fetches a schema from the network or a file: put what it refers to under $defs and"
                            + " refer to it as '#/$defs/...'");
                }
                checkReferences(field.getValue(), where + "/" + name);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkReferences(node.get(i), where + "/" + i);
            }
        }
    }

    /**
     * The store's dotted key for a location in a document. Arrays are values, not keys, so a
     * location inside one is the array's key followed by the index and names below it.
     */
    private static String keyOf(String under, NodePath location) {
        List<String> segments = new ArrayList<>();
        if (under != null) {
            segments.add(under);
        }
        StringBuilder inside = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer || inside.length() > 0) {
                inside.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
            } else {
                segments.add(String.valueOf(element));
            }
        }
        if (segments.isEmpty()) {
            return inside.toString();
        }
        String key;
        try {
            key = ConfigKey.of(segments.get(0), segments.subList(1, segments.size()).toArray(String[]::new)).toString();
        } catch (RuntimeException e) {
            key = String.join(".", segments);
        }
        return key + inside;
    }

    private static ConfigStoreException invalid(String message) {
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, message);
    }
}
