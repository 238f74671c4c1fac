package dev.configstore.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.format.Format;
import dev.configstore.internal.document.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's fidelity table, as a test: one document with every kind of value goes out in each
 * format and comes back; what comes back is exactly what the table says.
 */
class FormatFidelityTest {

    /** Strings, numbers (big and precise), booleans, null, arrays (empty, one element, mixed, of
     * objects), objects (empty, nested), a date-looking string and non-ASCII text. */
    static final String DOCUMENT = """
            {"big":123456789012345678901234567890,"date":"2026-11-22","empty":{},"emptyList":[],
             "list":[1,"two",3.5],"name":"trainer","nested":{"deep":{"x":1}},"nothing":null,
             "objs":[{"a":1},{"a":2}],"on":true,"one":[7],"port":8080,
             "precise":0.1000000000000000055511151231257827,"ratio":0.25,"unicode":"Grüße ☃ 日本"}""";

    /** What each format gives back; the README table says the same in words. */
    static String expected(Format format) {
        return switch (format) {
            // everything
            case JSON, YAML -> DOCUMENT;
            // everything but null members, which TOML cannot write (and see input: TOML's numbers are
            // int64 and binary64, so the numbers beyond them are not written, export refuses them)
            case TOML -> input(format).replace("\"nothing\":null,", "");
            // objects stay; every scalar becomes a string (null an empty one); arrays become their JSON text
            case INI -> """
                    {"big":"123456789012345678901234567890","date":"2026-11-22","empty":{},"emptyList":"[]",
                     "list":"[1,\\"two\\",3.5]","name":"trainer","nested":{"deep":{"x":"1"}},"nothing":"",
                     "objs":"[{\\"a\\":1},{\\"a\\":2}]","on":"true","one":"[7]","port":"8080",
                     "precise":"0.1000000000000000055511151231257827","ratio":"0.25","unicode":"Grüße ☃ 日本"}""";
            // strings everywhere; empty objects and null become ""; an empty array vanishes;
            // a one-element array becomes its element
            case XML -> """
                    {"big":"123456789012345678901234567890","date":"2026-11-22","empty":"",
                     "list":["1","two","3.5"],"name":"trainer","nested":{"deep":{"x":"1"}},"nothing":"",
                     "objs":[{"a":"1"},{"a":"2"}],"on":"true","one":"7","port":"8080",
                     "precise":"0.1000000000000000055511151231257827","ratio":"0.25","unicode":"Grüße ☃ 日本"}""";
            // strings everywhere; null becomes ""; empty objects and arrays vanish
            case PROPERTIES -> """
                    {"big":"123456789012345678901234567890","date":"2026-11-22",
                     "list":["1","two","3.5"],"name":"trainer","nested":{"deep":{"x":"1"}},"nothing":"",
                     "objs":[{"a":"1"},{"a":"2"}],"on":"true","one":["7"],"port":"8080",
                     "precise":"0.1000000000000000055511151231257827","ratio":"0.25","unicode":"Grüße ☃ 日本"}""";
        };
    }

    /** The document sent out: for TOML without the two numbers it refuses (see the test below). */
    static String input(Format format) {
        return format == Format.TOML
                ? DOCUMENT.replace("\"big\":123456789012345678901234567890,", "")
                        .replace("\"precise\":0.1000000000000000055511151231257827,", "")
                : DOCUMENT;
    }

    private final TextFormats formats = new TextFormats(1 << 20);

    @ParameterizedTest
    @EnumSource(Format.class)
    void roundTrip_keepsExactlyWhatTheTableSays(Format format) {
        ObjectNode document = (ObjectNode) Json.parse(input(format), "document");

        byte[] written = formats.write(format, document);
        ObjectNode back = formats.read(format, written, "document." + format.extension());

        assertThat(Json.canonical(back)).isEqualTo(Json.canonical(Json.parse(expected(format), "expected")));
        // what comes back is stable: a second round trip changes nothing more
        ObjectNode again = formats.read(format, formats.write(format, back), "again." + format.extension());
        assertThat(again).isEqualTo(back);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void keysWithDotsAndSpaces_roundTripWhereTheFormatHasQuoting(Format format) {
        ObjectNode document = (ObjectNode) Json.parse("{\"hosts\":{\"db.example.com\":\"10.0.0.1\"}}", "document");
        if (format == Format.PROPERTIES) {
            // .properties has one separator and no quoting: the dots would split the name into more levels
            assertThatThrownBy(() -> formats.write(format, document)).isInstanceOf(ConfigStoreException.class)
                    .hasMessageContaining("key 'hosts.db.example.com' has a dot");
            return;
        }
        ObjectNode back = formats.read(format, formats.write(format, document), "hosts." + format.extension());
        assertThat(back).isEqualTo(document);
    }

    @Test
    void properties_refusesKeysMadeOfDigits_whichWouldReadAsArrayIndexes() {
        ObjectNode document = (ObjectNode) Json.parse("{\"server\":{\"1\":\"zoo1:2888\"}}", "document");
        assertThatThrownBy(() -> formats.write(Format.PROPERTIES, document))
                .hasMessageContaining("key 'server.1' is made of digits");
        // an array is written with those indexes and comes back as the array
        ObjectNode list = (ObjectNode) Json.parse("{\"server\":[\"zoo1:2888\",\"zoo2:2888\"]}", "document");
        assertThat(formats.read(Format.PROPERTIES, formats.write(Format.PROPERTIES, list), "l.properties")).isEqualTo(list);
    }

    @Test
    void xml_refusesKeysThatAreNotElementNames() {
        ObjectNode document = (ObjectNode) Json.parse("{\"hosts\":{\"two words\":1}}", "document");
        assertThatThrownBy(() -> formats.write(Format.XML, document)).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("key 'hosts.two words' is not a valid XML element name");
    }

    @Test
    void toml_refusesANullInsideAnArray() {
        ObjectNode document = (ObjectNode) Json.parse("{\"a\":{\"b\":[1,null]}}", "document");
        assertThatThrownBy(() -> formats.write(Format.TOML, document))
                .hasMessageContaining("the array at 'a.b' holds a null, which TOML cannot express");
    }

    @Test
    void toml_refusesNumbersItCannotHoldExactly_namingTheKey() {
        ObjectNode big = (ObjectNode) Json.parse("{\"a\":{\"big\":9223372036854775808}}", "document");
        assertThatThrownBy(() -> formats.write(Format.TOML, big))
                .hasMessageContaining("key 'a.big' holds 9223372036854775808, beyond TOML's 64-bit integers");
        ObjectNode precise = (ObjectNode) Json.parse("{\"p\":[0.1000000000000000055511151231257827]}", "document");
        assertThatThrownBy(() -> formats.write(Format.TOML, precise))
                .hasMessageContaining("key 'p' holds 0.1000000000000000055511151231257827, which TOML's binary64");
        // the bounds themselves and a decimal that is exactly a double go out and come back
        ObjectNode edges = (ObjectNode) Json.parse(
                "{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"tenth\":0.1,\"e\":1.0E300}", "d");
        assertThat(formats.read(Format.TOML, formats.write(Format.TOML, edges), "edges.toml")).isEqualTo(edges);
    }
}
