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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSON read as RFC 8259 says, and the store's key policy applied by every reader at the line of
 * the key it refuses.
 */
class JsonConformanceTest {

    private final TextFormats formats = new TextFormats(1 << 20);

    private JsonNode read(Format format, String text) {
        return formats.read(format, text.getBytes(StandardCharsets.UTF_8), "test." + format.extension());
    }

    private static String canonical(JsonNode node) {
        return Json.canonical(node);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"a\": 9223372036854775808}|{\"a\":9223372036854775808}",
            "{\"a\": -123456789012345678901234567890}|{\"a\":-123456789012345678901234567890}",
            "{\"a\": 0.1000000000000000055511151231257827}|{\"a\":0.1000000000000000055511151231257827}",
            "{\"a\": 1e400}|{\"a\":1E+400}",
            "{\"a\": -1e-400}|{\"a\":-1E-400}",
            "{\"a\": 5e22}|{\"a\":5E+22}",
            "{\"a\": \"\\ud83d\\ude00 \\u00e9\"}|{\"a\":\"😀 é\"}",
            "{\"a\": [], \"b\": {}, \"c\": null, \"d\": \"\"}|{\"a\":[],\"b\":{},\"c\":null,\"d\":\"\"}",
            "\uFEFF{\"a\": 1}|{\"a\":1}"})
    void validJson_isReadExactly(String json, String expected) {
        assertThat(canonical(read(Format.JSON, json))).isEqualTo(canonical(Json.parse(expected, "expected")));
    }

    static Stream<Arguments> invalidJson() {
        return Stream.of(
                Arguments.of("{\"a\": 1,\n \"a\": 2}", 2, "Duplicate field 'a'"),
                Arguments.of("{\"a\": 01}", 1, "Leading zeroes"),
                Arguments.of("{\"a\": NaN}", 1, "Non-standard token 'NaN'"),
                Arguments.of("{\"a\": Infinity}", 1, "Non-standard token 'Infinity'"),
                Arguments.of("{\"a\": 'x'}", 1, "Unexpected character"),
                Arguments.of("{\"a\": 1,}", 1, "Unexpected character"),
                Arguments.of("{a: 1}", 1, "Unexpected character"),
                Arguments.of("{\"a\": 1} {\"b\": 2}", 1, "Trailing token"),
                Arguments.of("{\"a\": 1 // comment\n}", 1, "Unexpected character"),
                Arguments.of("{\"a\": \"\\ud800\"}", 1, "lone surrogate"),
                Arguments.of("{\"ok\": 1,\n \"x\\udc00y\": 2}", 2, "surrogate"));
    }

    @ParameterizedTest
    @MethodSource("invalidJson")
    void invalidJson_isRefusedWithTheLine(String json, int line, String reason) {
        assertThatThrownBy(() -> read(Format.JSON, json)).isInstanceOf(ImportException.class)
                .hasMessageStartingWith("test.json:" + line + ":").hasMessageContaining(reason);
    }

    @Test
    void deepNesting_isRefused() {
        String deep = "{\"a\":".repeat(Json.MAX_DEPTH + 2) + "1" + "}".repeat(Json.MAX_DEPTH + 2);
        assertThatThrownBy(() -> read(Format.JSON, deep)).isInstanceOf(ImportException.class)
                .hasMessageContaining("nests deeper than " + Json.MAX_DEPTH);
    }

    /** Empty keys and keys with control characters are valid JSON, TOML and YAML; the store refuses them, at their line. */
    static Stream<Arguments> refusedKeys() {
        return Stream.of(
                Arguments.of(Format.JSON, "{\"ok\": 1,\n \"\": 2}", 2, "an empty key"),
                Arguments.of(Format.JSON, "{\"ok\": {\n \"a\\tb\": 2}}", 2, "control character U+0009"),
                Arguments.of(Format.YAML, "ok: 1\n\"\": 2", 2, "an empty key"),
                Arguments.of(Format.YAML, "ok:\n  \"a\\x01b\": 2", 2, "control character U+0001"),
                Arguments.of(Format.TOML, "ok = 1\n\"\" = 2", 2, "an empty key"),
                Arguments.of(Format.PROPERTIES, "ok=1\na..b=2", 2, "an empty key"),
                Arguments.of(Format.INI, "[s]\nok = 1\n= 2", 3, "expected key = value"),
                Arguments.of(Format.INI, "[s]\nok = 1\na\u0001b = 2", 3, "control character U+0001"));
    }

    @ParameterizedTest
    @MethodSource("refusedKeys")
    void keysTheStoreRefuses_areRefusedAtTheirLine(Format format, String text, int line, String reason) {
        assertThatThrownBy(() -> read(format, text)).isInstanceOf(ImportException.class)
                .hasMessageStartingWith("test." + format.extension() + ":" + line + ":")
                .hasMessageContaining(reason);
    }
}
