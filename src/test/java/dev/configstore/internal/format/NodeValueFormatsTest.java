package dev.configstore.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStoreException;
import dev.configstore.format.Format;
import dev.configstore.format.ImportException;
import dev.configstore.internal.document.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The shapes that used to be refused: a .properties name with a value and names below it, an XML
 * element with attributes and text, INI values continued on indented lines.
 */
class NodeValueFormatsTest {

    private final TextFormats formats = new TextFormats(1 << 20);

    private ObjectNode read(Format format, String text) {
        return formats.read(format, text.getBytes(StandardCharsets.UTF_8), "test." + format.extension());
    }

    private String write(Format format, JsonNode tree) {
        return new String(formats.write(format, (ObjectNode) tree), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        return Json.parse(text, "expected");
    }

    @Test
    void properties_aNameWithAValueAndNamesBelow_keepsBoth_andWritesThePairsBack() {
        String file = "key.converter=org.example.JsonConverter\nkey.converter.schemas.enable=false\n"
                + "log4j.rootLogger=INFO, stdout\nlog4j.rootLogger.extra=1\nplain=x\n";

        ObjectNode tree = read(Format.PROPERTIES, file);

        assertThat(tree).isEqualTo(json("{\"key\":{\"converter\":{\"@value\":\"org.example.JsonConverter\","
                + "\"schemas\":{\"enable\":\"false\"}}},\"log4j\":{\"rootLogger\":{\"@value\":\"INFO, stdout\","
                + "\"extra\":\"1\"}},\"plain\":\"x\"}"));
        String written = write(Format.PROPERTIES, tree);
        assertThat(written).contains("key.converter=org.example.JsonConverter\n")
                .contains("key.converter.schemas.enable=false\n").doesNotContain("@value");
        assertThat(read(Format.PROPERTIES, written)).isEqualTo(tree);
    }

    @Test
    void properties_aDuplicateKey_isNamedAtItsOwnLine_notAtTextThatOnlyLooksLikeIt() {
        String continued = "x=1\nx=2\nnote=see \\\nx=this line belongs to note\n";
        assertThatThrownBy(() -> read(Format.PROPERTIES, continued)).isInstanceOf(ImportException.class)
                .hasMessageContaining("test.properties:2").hasMessageContaining("'x' appears twice");

        String escaped = "# a\\ b=in a comment\na\\ b=1\nother=2\na\\ b=3\n";
        assertThatThrownBy(() -> read(Format.PROPERTIES, escaped)).isInstanceOf(ImportException.class)
                .hasMessageContaining("test.properties:4").hasMessageContaining("'a b' appears twice");
    }

    @Test
    void properties_anOwnValueAlone_staysAnOrdinaryKey() {
        JsonNode tree = json("{\"a\":{\"@value\":\"x\"}}");
        assertThat(write(Format.PROPERTIES, tree)).contains("a.@value=x");
        assertThat(read(Format.PROPERTIES, write(Format.PROPERTIES, tree))).isEqualTo(tree);
    }

    @Test
    void xml_anElementWithAttributesAndText_importsAndExportsAsItWas() {
        String log4j2 = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Properties>
                    <Property name="logDir">/var/log/app</Property>
                    <Property name="pattern">%d %p %c{1.} [%t] %m%n</Property>
                  </Properties>
                  <Loggers>
                    <Root level="info"/>
                  </Loggers>
                </Configuration>
                """;

        ObjectNode tree = read(Format.XML, log4j2);

        assertThat(tree.at("/Properties/Property/0")).isEqualTo(json("{\"name\":\"logDir\",\"@value\":\"/var/log/app\"}"));
        String written = write(Format.XML, tree);
        assertThat(written).contains("<Property name=\"logDir\">/var/log/app</Property>");
        assertThat(read(Format.XML, written)).isEqualTo(tree);
    }

    @Test
    void xml_textBesideChildElements_comesBackWithoutIndentationInIt() {
        JsonNode tree = json("{\"a\":{\"@value\":\"x y\",\"b\":{\"c\":\"1\"},\"l\":[\"1\",\"2\"]}}");
        assertThat(read(Format.XML, write(Format.XML, tree))).isEqualTo(tree);
    }

    @Test
    void xml_refusesOwnValuesThatCannotComeBack_namingTheKey() {
        assertThatThrownBy(() -> write(Format.XML, json("{\"a\":{\"@value\":\"x\"}}")))
                .isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("key 'a.@value' is the only member of 'a'");
        assertThatThrownBy(() -> write(Format.XML, json("{\"a\":{\"@value\":[1],\"b\":\"2\"}}")))
                .hasMessageContaining("key 'a.@value' holds a list or object");
    }

    @Test
    void ini_continuationLines_readAsConfigparserReadsThem_andWriteBack() {
        String tox = """
                [tox]
                envlist = py38, py39,
                    py310

                [testenv]
                deps =
                    pytest>=7
                    # a comment inside the value is not part of it
                    coverage

                    mock
                commands = pytest {posargs}
                [flake8]
                  indented = key lines are fine
                """;

        ObjectNode tree = read(Format.INI, tox);

        assertThat(tree).isEqualTo(json("{\"tox\":{\"envlist\":\"py38, py39,\\npy310\"},"
                + "\"testenv\":{\"deps\":\"\\npytest>=7\\ncoverage\\n\\nmock\",\"commands\":\"pytest {posargs}\"},"
                + "\"flake8\":{\"indented\":\"key lines are fine\"}}"));
        String written = write(Format.INI, tree);
        assertThat(written).contains("deps =\n    pytest>=7\n    coverage\n\n    mock\n");
        assertThat(read(Format.INI, written)).isEqualTo(tree);
    }

    @Test
    void ini_refusesMultiLineValuesItCannotCarry_namingTheKey() {
        for (String value : new String[] {"a\n  indented", "ends with\n", "a\r\nb", "a\n# not a comment"}) {
            assertThatThrownBy(() -> write(Format.INI, json("{\"s\":{\"k\":" + Json.mapper().writeValueAsString(value) + "}}")))
                    .as(value).isInstanceOf(ConfigStoreException.class)
                    .hasMessageContaining("key 'k' holds a value of several lines");
        }
    }

    @Test
    void ini_aSectionHeaderInsideAValue_isPartOfIt() {
        assertThat(read(Format.INI, "[s]\nk = a\n  [not.a.section]\n")).isEqualTo(json("{\"s\":{\"k\":\"a\\n[not.a.section]\"}}"));
        assertThatThrownBy(() -> read(Format.INI, "[s]\nk = a\n[s]\n")).isInstanceOf(ImportException.class)
                .hasMessageContaining("test.ini:3:1: section [s] appears twice");
    }
}
