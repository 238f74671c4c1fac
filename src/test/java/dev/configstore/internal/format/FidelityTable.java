package dev.configstore.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.format.Format;
import java.util.Iterator;
import java.util.Map;

/**
 * The README's fidelity table as code: what a document becomes after export to a format and
 * import back, for documents the export does not refuse. Each rule here is a sentence there.
 */
final class FidelityTable {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private FidelityTable() {
    }

    static JsonNode expected(Format format, ObjectNode document) {
        return switch (format) {
            case JSON, YAML -> document;
            case TOML -> withoutNullMembers(document);
            case XML -> {
                JsonNode root = xml(document); // the root element stays an object, even with no children
                yield root.isObject() ? root : NODES.objectNode();
            }
            case PROPERTIES -> {
                JsonNode flat = properties(document);
                yield flat == null ? NODES.objectNode() : flat;
            }
            case INI -> ini(document, true);
        };
    }

    /** TOML: no null; a null member is left out (a null in an array is refused). */
    private static JsonNode withoutNullMembers(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            fields(node).forEachRemaining(field -> {
                if (!field.getValue().isNull()) {
                    copy.set(field.getKey(), withoutNullMembers(field.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(withoutNullMembers(element)));
            return copy;
        }
        return node;
    }

    /**
     * XML: every scalar is text (null ""), an empty object is "", an array is repeated elements:
     * an empty one vanishes, one of one element is that element.
     */
    private static JsonNode xml(JsonNode node) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                return NODES.textNode("");
            }
            ObjectNode copy = NODES.objectNode();
            fields(node).forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isArray() && value.isEmpty()) {
                    return;
                }
                copy.set(field.getKey(), value.isArray() && value.size() == 1 ? xml(value.get(0)) : xml(value));
            });
            // an element left without children is an empty element, which reads as ""
            return copy.isEmpty() ? NODES.textNode("") : copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(xml(element)));
            return copy;
        }
        return NODES.textNode(node.isNull() ? "" : node.asText());
    }

    /**
     * .properties: every scalar is text (null ""), empty objects and arrays vanish (and an object
     * or array left empty by that vanishes too), arrays stay arrays.
     */
    private static JsonNode properties(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            fields(node).forEachRemaining(field -> {
                JsonNode value = properties(field.getValue());
                if (value != null) {
                    copy.set(field.getKey(), value);
                }
            });
            return copy.isEmpty() ? null : copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> {
                JsonNode value = properties(element);
                if (value != null) {
                    copy.add(value);
                }
            });
            return copy.isEmpty() ? null : copy;
        }
        return NODES.textNode(node.isNull() ? "" : node.asText());
    }

    /** INI: objects are sections, every scalar is text (null ""), an array is its JSON text. */
    private static JsonNode ini(JsonNode node, boolean root) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            fields(node).forEachRemaining(field -> copy.set(field.getKey(), ini(field.getValue(), false)));
            return copy;
        }
        if (node.isArray()) {
            return NODES.textNode(node.toString());
        }
        return NODES.textNode(node.isNull() ? "" : node.asText());
    }

    private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node.fields();
    }
}
