package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.configstore.format.ExportOptions;
import dev.configstore.format.Format;
import dev.configstore.format.ImportException;
import dev.configstore.format.ImportOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A limit is one rule on every path: what a write accepts, an export gives back and an import
 * takes again, and a restore never fails on a limit for content the store already holds.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class LimitsContractTest {

    @RegisterExtension
    final StoreExtension extension;

    LimitsContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create(), builder -> builder.maxValueLength(1000));
    }

    /** The extension opens stores with maxValueLength(1000) so documents outgrow it quickly. */
    StoreExtension extension() {
        return extension;
    }

    ConfigStore store() {
        return extension().store();
    }

    @Test
    void documentGrownPastTheValueLimitBySmallWrites_restoresExportsAndImportsWhole() {
        for (int i = 0; i < 60; i++) {
            store().put("group.key" + i, "a value of about thirty chars " + i);
        }
        assertThat(store().document("current").orElseThrow().tree().toString().length()).isGreaterThan(2000);
        store().backups().create("before", 0, "");
        store().put("group.key0", "changed");

        assertThat(store().backups().restore("before").changed()).isTrue();
        assertThat(store().find("group.key0").map(JsonNode::asText)).contains("a value of about thirty chars 0");

        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        store().formats().exportDocument("current", Format.JSON, exported, ExportOptions.head());
        store().put("group.key1", "changed");
        store().formats().importDocument("current", Format.JSON, new ByteArrayInputStream(exported.toByteArray()),
                "export.json", ImportOptions.merge());
        assertThat(store().find("group.key1").map(JsonNode::asText)).contains("a value of about thirty chars 1");
        store().formats().importDocument("copy", Format.JSON, new ByteArrayInputStream(exported.toByteArray()),
                "export.json", ImportOptions.replacing());
        assertThat(store().document("copy").orElseThrow().tree())
                .isEqualTo(store().document("current").orElseThrow().tree());
    }

    @Test
    void oneValueOverTheLimit_isRefusedOnEveryPath_andNothingIsWritten() {
        String big = "x".repeat(1200);
        long head = store().put("small", 1).revision();

        assertThatThrownBy(() -> store().put("big", big)).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("key 'big'").hasMessageContaining("the limit is 1000");
        byte[] file = ("{\"nested\": {\"big\": \"" + big + "\"}}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store().formats().importDocument("current", Format.JSON,
                new ByteArrayInputStream(file), "big.json", ImportOptions.merge()))
                .isInstanceOf(ConfigStoreException.class).hasMessageContaining("key 'nested.big'");

        assertThat(store().revision()).isEqualTo(head);
    }

    @Test
    void depth_isOneLimit_forSetImportAndExport() {
        // key "a" (1 level) + 63 arrays = 64 levels: the deepest value there may be
        JsonNode deepest = nestedArrays(63);
        store().put("a", deepest);
        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        store().formats().exportDocument("current", Format.JSON, exported, ExportOptions.head());
        store().formats().importDocument("again", Format.JSON, new ByteArrayInputStream(exported.toByteArray()),
                "export.json", ImportOptions.replacing());
        assertThat(store().find("again", "a")).contains(deepest);
        long head = store().revision();

        assertThatThrownBy(() -> store().put("a", nestedArrays(64))).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("nests deeper than 64 levels");
        assertThatThrownBy(() -> store().put("a.b", nestedArrays(63))).isInstanceOf(ConfigStoreException.class)
                .hasMessageContaining("nests deeper than 64 levels");
        byte[] tooDeep = ("{\"a\":" + "[".repeat(64) + "1" + "]".repeat(64) + "}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store().formats().importDocument("current", Format.JSON,
                new ByteArrayInputStream(tooDeep), "deep.json", ImportOptions.merge()))
                .isInstanceOf(ImportException.class).hasMessageContaining("nests deeper than 64 levels");
        assertThat(store().revision()).isEqualTo(head);
    }

    @Test
    void restore_ofContentWrittenUnderAHigherLimit_neverFailsOnTheLimit() {
        store().put("long", "y".repeat(900));
        store().backups().create("kept", 0, "");
        store().put("long", "short");
        ConfigStore lower = extension().reopen(builder -> builder.maxValueLength(100));

        assertThat(lower.backups().restore("kept").changed()).isTrue();

        assertThat(lower.find("long").map(JsonNode::asText)).contains("y".repeat(900));
        assertThatThrownBy(() -> lower.put("other", "z".repeat(101))).isInstanceOf(ConfigStoreException.class);
    }

    @Test
    void emptyInput_isRefusedInEveryFormat_unlessAllowed() {
        long head = store().put("keep", "me").revision();
        for (Format format : Format.values()) {
            for (String empty : new String[] {"", "  \n\t\n", "\uFEFF", "\uFEFF \n"}) {
                byte[] bytes = empty.getBytes(StandardCharsets.UTF_8);
                assertThatThrownBy(() -> store().formats().importDocument("current", format,
                        new ByteArrayInputStream(bytes), "empty." + format.name(), ImportOptions.replacing()))
                        .as(format + " '" + empty + "'").isInstanceOf(ImportException.class)
                        .hasMessageContaining("empty." + format.name()).hasMessageContaining("empty");
            }
        }
        assertThat(store().revision()).isEqualTo(head);
        assertThat(store().find("keep").map(JsonNode::asText)).contains("me");

        store().formats().importDocument("current", Format.YAML, new ByteArrayInputStream(new byte[0]), "empty.yaml",
                ImportOptions.replacing().withAllowEmpty(true));
        assertThat(store().find("keep")).isEmpty();
    }

    @Test
    void fileWithoutKeys_isEmptyInput_butAnExplicitEmptyObjectIsADocument() {
        long head = store().put("keep", "me").revision();
        String[][] noKeys = {{"TOML", "# only a comment\n"}, {"INI", "; nothing here\n"},
                {"PROPERTIES", "# nothing here\n"}, {"YAML", "# only a comment\n---\n"}};
        for (String[] file : noKeys) {
            Format format = Format.valueOf(file[0]);
            assertThatThrownBy(() -> store().formats().importDocument("current", format,
                    new ByteArrayInputStream(file[1].getBytes(StandardCharsets.UTF_8)), "none", ImportOptions.replacing()))
                    .as(file[0]).isInstanceOf(ImportException.class).hasMessageContaining("empty");
        }
        assertThat(store().revision()).isEqualTo(head);

        store().formats().importDocument("current", Format.JSON,
                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), "empty-object.json",
                ImportOptions.replacing());
        assertThat(store().find("keep")).isEmpty();
    }

    @Test
    void expectedRevisionBeyondTheHead_isRefused() {
        long head = store().put("a", 1).revision();

        assertThatThrownBy(() -> store().batch().set("current", "a", 2).expectRevision(head + 5).commit())
                .isInstanceOf(ConfigStoreException.class).hasMessageContaining("beyond the head revision " + head)
                .extracting(e -> ((ConfigStoreException) e).code()).isEqualTo(ErrorCode.CONFLICT);

        assertThat(store().revision()).isEqualTo(head);
        assertThat(store().batch().set("current", "a", 2).expectRevision(head).commit().changed()).isTrue();
    }

    private static JsonNode nestedArrays(int levels) {
        JsonNode node = JsonNodeFactory.instance.numberNode(1);
        for (int i = 0; i < levels; i++) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            array.add(node);
            node = array;
        }
        return node;
    }
}
