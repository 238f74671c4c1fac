package dev.configstore.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.configstore.ConfigStoreException;
import dev.configstore.format.Format;
import dev.configstore.internal.document.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Export then import, for generated documents in every format: the document comes back exactly,
 * changed only as the README's fidelity table says the format changes it, or export refuses
 * naming the key. Exported YAML is also read by a YAML 1.1 reader (SnakeYAML 2.5 (org.yaml)) and exported
 * TOML by a second TOML reader (Jackson's), and they must read the same.
 */
class FormatRoundTripProperties {

    private static final JsonNodeFactory NODES = Json.NODES;

    /** Strings that a lenient reader takes for another type, and text that needs quoting somewhere. */
    private static final List<String> TRICKY = List.of("NO", "no", "on", "Off", "yes", "y", "0777", "1e5", "true",
            "false", "null", "~", "", " ", "2001-12-14", "1979-05-27T07:32:00Z", "12:30:00", "0x1F", ".inf", "-.5",
            "nan", "inf", "+1", "1_000", " lead", "trail ", "line1\nline2", "tab\there", "quote\"s", "back\\slash",
            "#hash", ";semi", "[x]", "a=b", "k: v", "- item", "&anchor", "*alias", "!tag", "%d{HH:mm} [%t]",
            "Grüße ☃ 日本 😀", "'single'", "\"double\"", "<b>&amp;</b>", "${env.HOME}", "@value");
    private static final List<String> KEYS = List.of("name", "port", "NO", "on", "0777", "1e5", "true", "null",
            "Grüße", "日本", "ключ", "a b", "db.example.com", "x-y", "_u", "#h", "[b]", "k=v", " pad", "ǅx",
            "camelCase", "UPPER", "with:colon", "q\"uote", "emoji😀", "v1.2");

    private final TextFormats formats = new TextFormats(1 << 22);

    @Provide
    Arbitrary<ObjectNode> documents() {
        return object(3);
    }

    private Arbitrary<ObjectNode> object(int depth) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(KEYS),
                Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-', 'é', 'ß', '中').ofMinLength(1)
                        .ofMaxLength(8));
        Arbitrary<JsonNode> member = depth == 0 ? scalar()
                : Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, scalar()),
                        net.jqwik.api.Tuple.of(2, object(depth - 1).map(JsonNode.class::cast)),
                        net.jqwik.api.Tuple.of(2, array(depth - 1).map(JsonNode.class::cast)));
        return Arbitraries.maps(keys, member).ofMaxSize(5).map(map -> {
            ObjectNode object = NODES.objectNode();
            map.forEach(object::set);
            return object;
        });
    }

    private Arbitrary<ArrayNode> array(int depth) {
        Arbitrary<JsonNode> element = depth == 0 ? scalar()
                : Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, scalar()),
                        net.jqwik.api.Tuple.of(1, object(depth - 1).map(JsonNode.class::cast)),
                        net.jqwik.api.Tuple.of(1, array(depth - 1).map(JsonNode.class::cast)));
        return element.list().ofMaxSize(4).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
    }

    private Arbitrary<JsonNode> scalar() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(TRICKY).map(NODES::textNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(12)
                        .filter(text -> Utf8Text.loneSurrogate(text) < 0).map(NODES::textNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(FormatRoundTripProperties::integer)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L, 1L << 53)
                        .map(FormatRoundTripProperties::integer)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TWO.pow(63),
                        BigInteger.TWO.pow(100)).map(big -> (JsonNode) NODES.numberNode(big))),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().filter(Double::isFinite)
                        .map(value -> (JsonNode) NODES.numberNode(TomlReader.shortest(value)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bigDecimals().ofScale(30).between(new BigDecimal(-1000),
                        new BigDecimal(1000)).map(value -> (JsonNode) NODES.numberNode(value))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(NODES.nullNode())));
    }

    private static JsonNode integer(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? NODES.numberNode((int) value)
                : NODES.numberNode(value);
    }

    @Property(tries = 300)
    void json(@ForAll("documents") ObjectNode document) {
        roundTrip(Format.JSON, document);
    }

    @Property(tries = 300)
    void yaml_alsoReadByAYaml11Reader(@ForAll("documents") ObjectNode document) {
        String written = roundTrip(Format.YAML, document);
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(1000);
        Object loaded = new Yaml(options).load(written);
        JsonNode yaml11 = Json.mapper().valueToTree(loaded);
        // SnakeYAML 2.5 (org.yaml) reads numbers as double or long, so only the kinds are compared: a string
        // must stay a string, a number a number, a boolean or null what it was
        assertThat(kinds(yaml11)).as("read by SnakeYAML 2.5 (org.yaml) (YAML 1.1):\n%s", written).isEqualTo(kinds(document));
    }

    @Property(tries = 300)
    void toml_alsoReadByJacksonsTomlReader(@ForAll("documents") ObjectNode document) throws Exception {
        String written = roundTrip(Format.TOML, document);
        if (written != null) {
            JsonNode second = TomlMapper.builder().enable(
                    com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build()
                    .readTree(written);
            JsonNode first = formats.read(Format.TOML, written.getBytes(StandardCharsets.UTF_8), "again.toml", true);
            assertThat(numbersAsDecimals(second)).as("Jackson's TOML reader on:\n%s", written)
                    .isEqualTo(numbersAsDecimals(first));
        }
    }

    @Property(tries = 300)
    void xml(@ForAll("documents") ObjectNode document) {
        roundTrip(Format.XML, document);
    }

    @Property(tries = 300)
    void properties(@ForAll("documents") ObjectNode document) {
        roundTrip(Format.PROPERTIES, document);
    }

    @Property(tries = 300)
    void ini(@ForAll("documents") ObjectNode document) {
        roundTrip(Format.INI, document);
    }

    /** Writes, reads back, compares with what the table says; returns the text, or null if export refused. */
    private String roundTrip(Format format, ObjectNode document) {
        // a property where export nearly always refuses would prove nothing: most tries must be written
        Statistics.coverage(checker -> checker.check("written").percentage(share -> share >= 40));
        byte[] written;
        try {
            written = formats.write(format, document);
        } catch (ConfigStoreException refused) {
            assertThat(refused.getMessage()).as("a refusal names the key: %s", document)
                    .containsAnyOf("key '", "the array at '");
            Statistics.collect("refused");
            return null;
        }
        Statistics.collect("written");
        String text = new String(written, StandardCharsets.UTF_8);
        ObjectNode back = formats.read(format, written, "export." + format.extension(), true);
        assertThat(numbersAsDecimals(back)).as("%s of %s:\n%s", format, document, text)
                .isEqualTo(numbersAsDecimals(FidelityTable.expected(format, document)));
        return text;
    }

    private static JsonNode kinds(JsonNode node) {
        if (node.isContainerNode()) {
            JsonNode copy = node.deepCopy();
            if (copy.isObject()) {
                ((ObjectNode) copy).fields().forEachRemaining(field -> field.setValue(kinds(field.getValue())));
            } else {
                ArrayNode array = (ArrayNode) copy;
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, kinds(array.get(i)));
                }
            }
            return copy;
        }
        return node.isNumber() ? NODES.textNode("a number") : node;
    }

    /** Numbers compared by value and kind (integer or decimal), not by Jackson's node class or scale. */
    static JsonNode numbersAsDecimals(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), numbersAsDecimals(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(numbersAsDecimals(element)));
            return copy;
        }
        if (node.isIntegralNumber()) {
            return NODES.textNode("int:" + node.bigIntegerValue());
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            return NODES.textNode("dec:" + (value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString()));
        }
        return node;
    }
}
