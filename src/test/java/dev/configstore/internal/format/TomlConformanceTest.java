package dev.configstore.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.format.Format;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TOML read as TOML 1.0 says, case by case from the specification's sections: each valid case
 * gives exactly the expected tree, each invalid one is refused with its line.
 */
class TomlConformanceTest {

    private final TextFormats formats = new TextFormats(1 << 20);

    private JsonNode read(String toml) {
        return formats.read(Format.TOML, toml.getBytes(StandardCharsets.UTF_8), "test.toml");
    }

    private static Arguments valid(String toml, String expected) {
        return Arguments.of(toml, expected);
    }

    private static Arguments invalid(String toml, int line, String reason) {
        return Arguments.of(toml, line, reason);
    }

    static Stream<Arguments> integers() {
        return Stream.of(
                valid("a = 9223372036854775807", "{\"a\":9223372036854775807}"),
                valid("a = -9223372036854775808", "{\"a\":-9223372036854775808}"),
                valid("a = 1000000000000000000", "{\"a\":1000000000000000000}"),
                valid("a = +99", "{\"a\":99}"),
                valid("a = -17", "{\"a\":-17}"),
                valid("a = 0", "{\"a\":0}"),
                valid("a = -0", "{\"a\":0}"),
                valid("a = 1_000_000", "{\"a\":1000000}"),
                valid("a = 0xDEADBEEF", "{\"a\":3735928559}"),
                valid("a = 0xdead_beef", "{\"a\":3735928559}"),
                valid("a = 0o755", "{\"a\":493}"),
                valid("a = 0b1101_0110", "{\"a\":214}"),
                valid("a = 0x7FFFFFFFFFFFFFFF", "{\"a\":9223372036854775807}"));
    }

    static Stream<Arguments> invalidIntegers() {
        return Stream.of(
                invalid("a = 9223372036854775808", 1, ""),
                invalid("a = -9223372036854775809", 1, ""),
                invalid("a = 0x8000000000000000", 1, ""),
                invalid("ok = 1\na = 0777", 2, ""),
                invalid("a = 1__000", 1, ""),
                invalid("a = _1", 1, ""),
                invalid("a = 1_", 1, ""),
                invalid("a = 0X1F", 1, ""),
                invalid("a = +0x1F", 1, ""),
                invalid("a = 0b102", 1, ""));
    }

    static Stream<Arguments> floats() {
        return Stream.of(
                valid("a = +1.0", "{\"a\":1.0}"),
                valid("a = 3.1415", "{\"a\":3.1415}"),
                valid("a = -0.01", "{\"a\":-0.01}"),
                valid("a = 5e+22", "{\"a\":5.0E+22}"),
                valid("a = 1e06", "{\"a\":1000000.0}"),
                valid("a = 2e23", "{\"a\":2.0E+23}"),
                valid("a = -2E-2", "{\"a\":-0.02}"),
                valid("a = 6.626e-34", "{\"a\":6.626E-34}"),
                valid("a = 224_617.445_991_228", "{\"a\":224617.445991228}"),
                // a TOML float is a binary64: more digits than it holds read as the nearest one
                valid("a = 0.1000000000000000055511151231257827", "{\"a\":0.1}"),
                valid("a = 1.7976931348623157e308", "{\"a\":1.7976931348623157E+308}"));
    }

    static Stream<Arguments> invalidFloats() {
        return Stream.of(
                invalid("a = .7", 1, ""),
                invalid("a = 7.", 1, ""),
                invalid("a = 3.e+20", 1, ""),
                invalid("a = 1e", 1, ""),
                invalid("a = 1.2_", 1, ""),
                // infinity and NaN: valid TOML, but not a JSON number; refused with the line, never a string
                invalid("a = inf", 1, "not a number the store can hold"),
                invalid("x = 1\na = +inf", 2, "not a number the store can hold"),
                invalid("a = -inf", 1, "not a number the store can hold"),
                invalid("a = nan", 1, "not a number the store can hold"),
                invalid("t.u = [1.0, -nan]", 1, "not a number the store can hold"));
    }

    static Stream<Arguments> datesAndTimes() {
        return Stream.of(
                valid("d = 1979-05-27T07:32:00Z", "{\"d\":\"1979-05-27T07:32:00Z\"}"),
                valid("d = 1979-05-27T00:32:00-07:00", "{\"d\":\"1979-05-27T00:32:00-07:00\"}"),
                valid("d = 1979-05-27T00:32:00.999999-07:00", "{\"d\":\"1979-05-27T00:32:00.999999-07:00\"}"),
                valid("d = 1979-05-27 07:32:00Z", "{\"d\":\"1979-05-27T07:32:00Z\"}"),
                valid("d = 1987-07-05t17:45:00z", "{\"d\":\"1987-07-05T17:45:00Z\"}"),
                valid("d = 1979-05-27T07:32:00+00:00", "{\"d\":\"1979-05-27T07:32:00Z\"}"),
                valid("d = 1979-05-27T07:32:00.5+05:30", "{\"d\":\"1979-05-27T07:32:00.5+05:30\"}"),
                valid("d = 1979-05-27T07:32:00", "{\"d\":\"1979-05-27T07:32:00\"}"),
                valid("d = 1979-05-27T00:32:00.999999", "{\"d\":\"1979-05-27T00:32:00.999999\"}"),
                valid("d = 1979-05-27", "{\"d\":\"1979-05-27\"}"),
                valid("d = 2000-02-29", "{\"d\":\"2000-02-29\"}"),
                valid("d = 07:32:00", "{\"d\":\"07:32:00\"}"),
                valid("d = 00:32:00.999999", "{\"d\":\"00:32:00.999999\"}"),
                valid("d = 23:59:59", "{\"d\":\"23:59:59\"}"));
    }

    static Stream<Arguments> invalidDatesAndTimes() {
        return Stream.of(
                invalid("d = 2100-02-29", 1, ""),
                invalid("d = 2023-02-29", 1, ""),
                invalid("d = 1979-00-10", 1, ""),
                invalid("d = 1979-13-10", 1, ""),
                invalid("d = 1979-01-00", 1, ""),
                invalid("d = 1979-01-32", 1, ""),
                invalid("d = 1979-04-31", 1, ""),
                invalid("d = 1979-05-27T24:00:00", 1, ""),
                invalid("d = 1979-05-27T07:60:00", 1, ""),
                invalid("d = 1979-05-27T07:32:61", 1, ""),
                invalid("d = 1979-05-27T07:32:00+12:60", 1, ""),
                invalid("d = 1979-05-27T07:32:00+24:00", 1, ""),
                invalid("d = 24:00:00", 1, ""),
                invalid("x = 1\nd = 1979-5-27", 2, ""),
                invalid("d = 1979-05-27T07:32", 1, ""),
                invalid("d = 07:32", 1, ""),
                invalid("d = 1979-05-27T07:32:00Zjunk", 1, ""));
    }

    static Stream<Arguments> keysTablesAndArrays() {
        return Stream.of(
                valid("bare-key_1 = 1", "{\"bare-key_1\":1}"),
                valid("\"127.0.0.1\" = \"v\"", "{\"127.0.0.1\":\"v\"}"),
                valid("'key two' = 1", "{\"key two\":1}"),
                valid("\"ʎǝʞ\" = 1", "{\"ʎǝʞ\":1}"),
                valid("site.\"google.com\" = true", "{\"site\":{\"google.com\":true}}"),
                valid("a . b . c = 1", "{\"a\":{\"b\":{\"c\":1}}}"),
                valid("1234 = 1", "{\"1234\":1}"),
                valid("3.14159 = \"pi\"", "{\"3\":{\"14159\":\"pi\"}}"),
                valid("[a.b]\nc = 1\n[a]\nd = 2", "{\"a\":{\"b\":{\"c\":1},\"d\":2}}"),
                valid("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
                        "{\"fruit\":{\"apple\":{\"color\":\"red\",\"taste\":{\"sweet\":true},\"texture\":{\"smooth\":true}}}}"),
                valid("[[p]]\nx = 1\n[[p]]\nx = 2\n[p.sub]\ny = 3",
                        "{\"p\":[{\"x\":1},{\"x\":2,\"sub\":{\"y\":3}}]}"),
                valid("[[fruits]]\nname = \"apple\"\n[[fruits.varieties]]\nname = \"red\"\n[[fruits]]\nname = \"banana\"",
                        "{\"fruits\":[{\"name\":\"apple\",\"varieties\":[{\"name\":\"red\"}]},{\"name\":\"banana\"}]}"),
                valid("mixed = [1, \"two\", 3.5, [4], {five = 5}]",
                        "{\"mixed\":[1,\"two\",3.5,[4],{\"five\":5}]}"),
                valid("a = [\n  1,\n  2, # comment\n]", "{\"a\":[1,2]}"),
                valid("t = {}", "{\"t\":{}}"),
                valid("e = []", "{\"e\":[]}"));
    }

    static Stream<Arguments> redefinitionsAndBadStructure() {
        return Stream.of(
                invalid("a = 1\na = 2", 2, "previously defined"),
                invalid("name = \"a\"\n\"name\" = \"b\"", 2, ""),
                invalid("[a]\nb = 1\n[a]\nc = 2", 3, ""),
                invalid("[fruit]\napple.color = \"red\"\n[fruit.apple]\nx = 1", 3, ""),
                invalid("[product]\ntype = { name = \"Nail\" }\ntype.edible = false", 3, ""),
                invalid("[product]\ntype.name = \"Nail\"\ntype = { edible = false }", 3, ""),
                invalid("fruits = []\n[[fruits]]", 2, ""),
                invalid("[fruit.physical]\ncolor = \"red\"\n[[fruit]]\nname = \"apple\"", 3, ""),
                invalid("[[fruits]]\nname = \"apple\"\n[[fruits.varieties]]\nname = \"red\"\n[fruits.varieties]\n"
                        + "name = \"granny\"", 5, ""),
                invalid("[[fruits]]\n[fruits.physical]\ncolor = \"red\"\n[[fruits.physical]]\ncolor = \"green\"", 4, ""),
                invalid("a = 1\na.b = 2", 2, ""),
                // a table defined by a header, then extended through dotted keys: Jackson's reader merged these
                invalid("[a.b]\nc = 1\n[a]\nb.d = 2", 4, "already defined"),
                invalid("a.b = 1\n[a]\nc = 2", 2, ""),
                invalid("a = [{b = 1}]\n[[a]]\nb = 2", 2, ""),
                invalid("a = {b = 1,\n c = 2}", 1, ""),
                invalid("a = {b = 1,}", 1, ""),
                invalid("a = \"bad \\x escape\"", 1, ""),
                invalid("a = \"no end", 1, ""),
                invalid("= 1", 1, ""),
                invalid("a = 1 b = 2", 1, ""));
    }

    static Stream<Arguments> strings() {
        return Stream.of(
                valid("s = \"tab\\there \\u00E9 \\U0001F600\"", "{\"s\":\"tab\\there é 😀\"}"),
                valid("s = 'C:\\Users\\nodejs'", "{\"s\":\"C:\\\\Users\\\\nodejs\"}"),
                valid("s = \"\"\"\nRoses\nViolets\"\"\"", "{\"s\":\"Roses\\nViolets\"}"),
                valid("s = \"\"\"\nThe quick \\\n   brown fox\"\"\"", "{\"s\":\"The quick brown fox\"}"),
                valid("s = '''\nraw \\n text\n'''", "{\"s\":\"raw \\\\n text\\n\"}"),
                valid("s = \"NO\"\nt = \"0777\"\nu = \"inf\"", "{\"s\":\"NO\",\"t\":\"0777\",\"u\":\"inf\"}"),
                valid("s = \"\"", "{\"s\":\"\"}"));
    }

    @ParameterizedTest
    @MethodSource({"integers", "floats", "datesAndTimes", "keysTablesAndArrays", "strings"})
    void validCases_readAsTheSpecificationSays(String toml, String expected) {
        assertThat(Json.canonical(read(toml))).isEqualTo(Json.canonical(Json.parse(expected, "expected")));
    }

    @ParameterizedTest
    @MethodSource({"invalidIntegers", "invalidFloats", "invalidDatesAndTimes", "redefinitionsAndBadStructure"})
    void invalidCases_areRefusedWithTheLine(String toml, int line, String reason) {
        assertThatThrownBy(() -> read(toml)).isInstanceOf(ImportException.class)
                .hasMessageStartingWith("test.toml:" + line + ":").hasMessageContaining(reason);
    }

    @Test
    void keysTheStoreRefuses_areRefusedWithTheirLine() {
        assertThatThrownBy(() -> read("ok = 1\n\"\" = 2")).isInstanceOf(ImportException.class)
                .hasMessageStartingWith("test.toml:2:").hasMessageContaining("an empty key");
        assertThatThrownBy(() -> read("[t]\nok = 1\n\"a\\tb\" = 2")).isInstanceOf(ImportException.class)
                .hasMessageStartingWith("test.toml:3:").hasMessageContaining("control character U+0009");
    }
}
