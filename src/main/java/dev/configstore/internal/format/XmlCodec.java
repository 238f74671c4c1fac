package dev.configstore.internal.format;

import com.ctc.wstx.io.WstxInputData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import com.fasterxml.jackson.dataformat.xml.util.DefaultXmlPrettyPrinter;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.ImportException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML through Jackson's XML module, with the store's rules around it. Elements are keys,
 * attributes are keys too, repeated elements are an array; the text of an element that also has
 * attributes or child elements is the member {@value #TEXT} (a name no XML element can have).
 * Reading never loads a DTD: a DOCTYPE that only names an external DTD is let through unread,
 * one with an internal subset, and any entity declaration, is refused.
 */
final class XmlCodec {

    /** The member that holds an element's text beside its attributes or children. */
    static final String TEXT = TextFormats.OWN_VALUE;

    private final XmlMapper mapper;
    private final XMLInputFactory stax;

    XmlCodec(XmlMapper mapper, XMLInputFactory stax) {
        this.mapper = mapper;
        this.stax = stax;
    }

    JsonNode read(String text, String source) {
        checkDoctype(text, source);
        return TextFormats.parse(() -> mapper.readTree(text), source);
    }

    /**
     * Refuses a DOCTYPE with an internal subset, naming an entity declaration when it has one. The
     * StAX reader (DTD support off, so nothing is loaded or expanded) finds the DOCTYPE, which
     * comes before the root element; comments and text that only look like declarations are not
     * one. A second DOCTYPE or anything malformed is left to the parse, which reports it.
     */
    private void checkDoctype(String text, String source) {
        try {
            XMLStreamReader reader = stax.createXMLStreamReader(new StringReader(text));
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        return;
                    }
                    if (event == XMLStreamConstants.DTD && !reader.getText().isBlank()) {
                        String subset = reader.getText();
                        int doctype = Math.max(0, reader.getLocation().getCharacterOffset());
                        int inside = text.indexOf(subset, doctype);
                        int entity = inside < 0 ? -1 : text.indexOf("<!ENTITY", inside);
                        if (entity >= 0 && entity < inside + subset.length()) {
                            throw refused(text, entity, source, "XML with entity declarations is refused (no"
                                    + " external or expanding entities)");
                        }
                        throw refused(text, doctype, source, "a DOCTYPE with an internal subset is refused; one that"
                                + " only names an external DTD is accepted and the DTD is never read");
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            // malformed before the root: the parse below reports it with its position
        }
    }

    private static ImportException refused(String text, int offset, String source, String why) {
        int[] at = Utf8Text.position(text, offset);
        return new ImportException(source, at[0], at[1], why);
    }

    /**
     * Writes a tree under a {@code <config>} root. An object with {@value #TEXT} is written as
     * the element it was read from: its other scalar members as attributes, the text as the
     * element's text, objects and arrays as child elements. A document with text beside child
     * elements is written without indentation, which would otherwise become part of the text.
     */
    String write(ObjectNode tree) {
        check(tree, "");
        StringWriter out = new StringWriter();
        try (ToXmlGenerator generator = (ToXmlGenerator) mapper.getFactory().createGenerator(out)) {
            if (!hasMixedContent(tree)) {
                generator.setPrettyPrinter(new DefaultXmlPrettyPrinter());
            }
            generator.setNextName(new QName("config"));
            writeObject(generator, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void writeObject(ToXmlGenerator generator, JsonNode object) throws IOException {
        generator.writeStartObject();
        boolean text = object.has(TEXT);
        if (text) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (isAttribute(field)) {
                    generator.setNextIsAttribute(true);
                    generator.writeFieldName(field.getKey());
                    writeScalar(generator, field.getValue());
                    generator.setNextIsAttribute(false);
                }
            }
            generator.writeFieldName(TEXT);
            generator.setNextIsUnwrapped(true);
            writeScalar(generator, object.get(TEXT));
            generator.setNextIsUnwrapped(false);
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!text || (!field.getKey().equals(TEXT) && !isAttribute(field))) {
                generator.writeFieldName(field.getKey());
                writeValue(generator, field.getValue());
            }
        }
        generator.writeEndObject();
    }

    private static boolean isAttribute(Map.Entry<String, JsonNode> field) {
        return !field.getKey().equals(TEXT) && field.getValue().isValueNode() && !field.getValue().isNull();
    }

    private static void writeValue(ToXmlGenerator generator, JsonNode value) throws IOException {
        if (value.isObject()) {
            writeObject(generator, value);
        } else if (value.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : value) {
                writeValue(generator, element);
            }
            generator.writeEndArray();
        } else {
            writeScalar(generator, value);
        }
    }

    private static void writeScalar(ToXmlGenerator generator, JsonNode value) throws IOException {
        if (value.isNull()) {
            generator.writeNull();
        } else {
            generator.writeString(value.asText());
        }
    }

    private static boolean hasMixedContent(JsonNode node) {
        if (node.isObject() && node.has(TEXT)) {
            for (JsonNode member : node) {
                if (member.isContainerNode() || member.isNull()) {
                    return true;
                }
            }
        }
        for (JsonNode member : node) {
            if (member.isContainerNode() && hasMixedContent(member)) {
                return true;
            }
        }
        return false;
    }

    /** Refuses keys that are not element names, and element text that would not come back as written. */
    private static void check(JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String key = path.isEmpty() ? name : path + "." + name;
                if (name.equals(TEXT)) {
                    if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                        throw cannotWrite(key, "holds " + (field.getValue().isNull() ? "null" : "a list or object")
                                + ", but " + TEXT + " is an element's text");
                    }
                    if (node.size() == 1) {
                        throw cannotWrite(key, "is the only member of '" + (path.isEmpty() ? "(root)" : path)
                                + "', which would read back as a plain value");
                    }
                    continue;
                }
                if (!isName(name) || name.toLowerCase(Locale.ROOT).startsWith("xml")) {
                    throw cannotWrite(key, "is not a valid XML element name");
                }
                check(field.getValue(), key);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (element.isArray()) {
                    throw cannotWrite(path, "holds a list inside a list, which XML's repeated elements flatten");
                }
                check(element, path);
            }
        } else if (node.isTextual()) {
            int bad = notXmlCharacter(node.textValue());
            if (bad >= 0) {
                throw cannotWrite(path, "holds U+" + String.format("%04X", node.textValue().codePointAt(bad))
                        + ", a character XML 1.0 cannot carry");
            }
        }
    }

    /** A name the reader (Woodstox, XML 1.0 with namespaces) takes as an element name. */
    private static boolean isName(String name) {
        if (name.isEmpty() || !WstxInputData.isNameStartChar(name.charAt(0), true, false)) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!WstxInputData.isNameChar(name.charAt(i), true, false)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first character outside XML 1.0's Char production, or -1. */
    private static int notXmlCharacter(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
            if (!allowed) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    private static ConfigStoreException cannotWrite(String key, String why) {
        return new ConfigStoreException(ErrorCode.INVALID_INPUT, "key '" + key + "' " + why
                + ", so the document cannot be written as XML");
    }
}
