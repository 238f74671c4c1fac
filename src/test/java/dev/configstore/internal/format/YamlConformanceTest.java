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
 * YAML read as YAML 1.2 says (Core schema), case by case from the specification: the YAML 1.1
 * traps stay strings, numbers keep their digits, the 1.2 syntax that a 1.1 parser refused or
 * changed is read right, and merge keys and aliases of ordinary files work.
 */
class YamlConformanceTest {

    private final TextFormats formats = new TextFormats(1 << 20);

    private JsonNode read(String yaml) {
        return formats.read(Format.YAML, yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
    }

    private static JsonNode json(String text) {
        return Json.parse(text, "expected");
    }

    /** Core schema resolution of plain scalars; the YAML 1.1 booleans and octals are not. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "country: NO|{\"country\":\"NO\"}",
            "mode: on|{\"mode\":\"on\"}",
            "a: yes|{\"a\":\"yes\"}",
            "b: Off|{\"b\":\"Off\"}",
            "y: y|{\"y\":\"y\"}",
            "perm: 0777|{\"perm\":777}",
            "hex: 0x1F|{\"hex\":31}",
            "oct: 0o17|{\"oct\":15}",
            "t: True|{\"t\":true}",
            "f: FALSE|{\"f\":false}",
            "n: ~|{\"n\":null}",
            "n: Null|{\"n\":null}",
            "e: |{\"e\":null}",
            "x: 1e3|{\"x\":1E+3}",
            "x: -.5|{\"x\":-0.5}",
            "big: 123456789012345678901234567890|{\"big\":123456789012345678901234567890}",
            "exact: 0.1000000000000000055511151231257827|{\"exact\":0.1000000000000000055511151231257827}",
            "s: \"0777\"|{\"s\":\"0777\"}",
            "d: 2001-12-14|{\"d\":\"2001-12-14\"}",
            "time: 12:30:00|{\"time\":\"12:30:00\"}",
            "u: 1_000|{\"u\":\"1_000\"}",
            "tagged: !!str 42|{\"tagged\":\"42\"}",
            "a: !!bool true|{\"a\":true}",
            "a: !!int 0x1F|{\"a\":31}",
            "a: !!float 1|{\"a\":1.0}",
            "a: !!null ~|{\"a\":null}",
            "a: !!map {b: 1}|{\"a\":{\"b\":1}}",
            "a: !!seq [1]|{\"a\":[1]}",
            "a: ! 12|{\"a\":\"12\"}"})
    void plainScalars_resolveByTheCoreSchema(String yaml, String expected) {
        assertThat(read(yaml)).isEqualTo(json(expected));
    }

    /** Syntax of YAML 1.2 that SnakeYAML 2.5 (org.yaml) (YAML 1.1) refused or read differently. */
    static Stream<Arguments> yaml12Syntax() {
        return Stream.of(
                Arguments.of("a:\tb", "{\"a\":\"b\"}"),
                Arguments.of("a: \"x\\/y\"", "{\"a\":\"x/y\"}"),
                Arguments.of("{\"a\":b}", "{\"a\":\"b\"}"),
                Arguments.of("? a\n: b", "{\"a\":\"b\"}"),
                Arguments.of("key: &an:chor value", "{\"key\":\"value\"}"),
                Arguments.of("{ ?foo: bar }", "{\"?foo\":\"bar\"}"),
                Arguments.of("a: |+\n  text\n\n\nb: 1", "{\"a\":\"text\\n\\n\\n\",\"b\":1}"),
                Arguments.of("a: >-\n  one\n  two\n", "{\"a\":\"one two\"}"));
    }

    @ParameterizedTest
    @MethodSource("yaml12Syntax")
    void yaml12Syntax_isReadAsWritten(String yaml, String expected) {
        assertThat(read(yaml)).isEqualTo(json(expected));
    }

    @Test
    void mergeKeys_mergeAsYaml11DefinesThem_ownKeysWin() {
        String compose = String.join("\n",
                "x-defaults: &defaults",
                "  restart: always",
                "  environment:",
                "    LEVEL: info",
                "x-logging: &logging",
                "  logging: json",
                "  restart: never",
                "services:",
                "  web:",
                "    <<: [*defaults, *logging]",
                "    image: web:1",
                "  worker:",
                "    <<: *defaults",
                "    restart: on-failure",
                "");

        JsonNode tree = read(compose);

        assertThat(tree.at("/services/web")).isEqualTo(json(
                "{\"image\":\"web:1\",\"restart\":\"always\",\"environment\":{\"LEVEL\":\"info\"},\"logging\":\"json\"}"));
        assertThat(tree.at("/services/worker/restart").asText()).isEqualTo("on-failure");
        assertThat(tree.at("/services/worker/environment/LEVEL").asText()).isEqualTo("info");
    }

    @Test
    void aComposeFileWithManyAliases_isRead() {
        StringBuilder yaml = new StringBuilder("x-env: &env\n  A: 1\n  B: two\nservices:\n");
        for (int i = 0; i < 120; i++) {
            yaml.append("  s").append(i).append(":\n    environment: *env\n    <<: *env\n");
        }

        JsonNode tree = read(yaml.toString());

        assertThat(tree.at("/services/s119/environment/B").asText()).isEqualTo("two");
        assertThat(tree.at("/services/s119/A").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a: .inf|1", "a: [1, -.Inf]|1", "a: {b: .NaN}|1"})
    void nonFiniteNumbers_areRefusedWithTheLine(String yaml, int line) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(ImportException.class)
                .hasMessageContaining("test.yaml:" + line).hasMessageContaining("not a number the store can hold");
    }

    /** A tag the store cannot keep would be dropped, or a YAML 1.1 reading would be forced onto the text. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "custom: !Ref MyBucket|1|the tag !Ref",
        "a: 1\\nb: !!bool yes|2|yes' is not a !!bool",
        "a: !!bool Off|1|Off' is not",
        "a: !!int abc|1|abc' is not a !!int",
        "a: !!int 1.5|1|1.5' is not",
        "a: !!null x|1|x' is not",
        "a: !!float abc|1|abc' is not",
        "a: !!timestamp 2001-12-14|1|the tag !!timestamp",
        "a: !!binary aGk=|1|the tag !!binary",
        "a: !!set {b: null}|1|on a mapping",
        "a: !!str {b: 1}|1|on a mapping",
        "a: !Custom [1]|1|on a sequence"})
    void tagsTheStoreCannotKeep_areRefusedWithTheLine(String yaml, int line, String reason) {
        assertThatThrownBy(() -> read(yaml.replace("\\n", "\n"))).isInstanceOf(ImportException.class)
                .hasMessageContaining("test.yaml:" + line).hasMessageContaining(reason);
    }

    @Test
    void duplicateKeys_areRefusedWithTheLine() {
        assertThatThrownBy(() -> read("a: 1\nb: 2\na: 3\n")).isInstanceOf(ImportException.class)
                .hasMessageContaining("test.yaml:3");
    }
}
