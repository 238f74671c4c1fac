package dev.configstore;

import static dev.configstore.StoreAssertions.assertRefusedAndUnchanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.format.ArchiveContent;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.Format;
import dev.configstore.format.ImportOptions;
import dev.configstore.profile.ApplyMode;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.schema.SchemaSetResult;
import dev.configstore.schema.SchemaViolation;
import dev.configstore.schema.SchemaViolationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** JSON Schemas per document, checked on every write path; run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class SchemaContractTest {

    /** A port from 1 to 65535 (default 8080), a required name, and a mode from a list. */
    static final String SCHEMA = """
            {"type":"object",
             "required":["name"],
             "properties":{
               "name":{"type":"string","minLength":1},
               "server":{"type":"object","properties":{
                   "port":{"type":"integer","minimum":1,"maximum":65535,"default":8080},
                   "mode":{"enum":["fast","safe"],"default":"safe"}}}}}""";

    @RegisterExtension
    final StoreExtension extension;
    final Backend.Kind kind;

    @TempDir
    Path temp;

    SchemaContractTest(Backend.Kind backend) {
        this.kind = backend;
        this.extension = new StoreExtension(backend.create());
    }

    ConfigStore store() {
        return extension.store();
    }

    static JsonNode json(String text) {
        return StoreAssertions.json(text);
    }

    void validStoreWithSchema() {
        store().batch().set("current", "name", "table-1").set("current", "server.port", 80).commit();
        store().schemas().set("current", json(SCHEMA), false);
    }

    @Test
    void aSchemaIsStoredAndVersioned_andWritesThatMatchGoThrough() {
        store().put("name", "table-1");
        long before = store().revision();

        SchemaSetResult set = store().schemas().set("current", json(SCHEMA), false);

        assertThat(set.write().changed()).isTrue();
        assertThat(set.write().revision()).isEqualTo(before + 1);
        assertThat(set.violations()).isEmpty();
        assertThat(store().schemas().get("current")).contains(json(SCHEMA));
        assertThat(store().schemas().set("current", json(SCHEMA), false).write().changed()).isFalse();
        assertThat(store().history().revisions(1).get(0).operation()).isEqualTo("schema-set");
        assertThat(store().put("server.port", 443).changed()).isTrue();
        assertThat(store().schemas().validate("current")).isEmpty();
        assertThat(store().health().verify().isClean()).isTrue();

        // still there for another process, and after a reopen
        ConfigStore reopened = extension.reopen();
        assertThat(reopened.schemas().get("current")).contains(json(SCHEMA));
        assertThatThrownBy(() -> reopened.put("server.port", 0)).isInstanceOf(SchemaViolationException.class);
    }

    @Test
    void everyWriteThatBreaksTheSchema_isRefused_withOneLinePerViolation_andNothingWritten() throws Exception {
        validStoreWithSchema();
        store().profiles().create(ProfileDefinition.named("bad").describedAs("breaks the schema"));
        store().batch().set("bad", "server.port", 99999).set("bad", "server.mode", "turbo").commit();
        store().backups().create("with-bad-profile", 0, "");

        assertRefusedAndUnchanged(store(), () -> store().put("server.port", 70000), ErrorCode.INVALID_INPUT,
                "key 'server.port': must have a maximum value of 65535 (found 70000)");
        assertRefusedAndUnchanged(store(), () -> store().put("server.port", "80"), ErrorCode.INVALID_INPUT,
                "key 'server.port': string found, integer expected");
        assertRefusedAndUnchanged(store(), () -> store().unset("current", "name"), ErrorCode.INVALID_INPUT,
                "required property 'name' not found");
        assertRefusedAndUnchanged(store(), () -> store().batch().set("current", "server.port", 81).set("current", "server.mode", "turbo")
                .commit(), ErrorCode.INVALID_INPUT, "key 'server.mode'");
        assertRefusedAndUnchanged(store(), () -> store().batch().replace("current", json("{\"server\":{}}")).commit(),
                ErrorCode.INVALID_INPUT, "required property 'name' not found");
        byte[] file = "{\"server\":{\"port\":-1}}".getBytes(StandardCharsets.UTF_8);
        for (boolean replace : new boolean[] {false, true}) {
            assertRefusedAndUnchanged(store(), () -> store().formats().importDocument("current", Format.JSON,
                    new ByteArrayInputStream(file), "bad.json", new ImportOptions(replace, false, false)),
                    ErrorCode.INVALID_INPUT, "key 'server.port': must have a minimum value of 1");
        }
        assertRefusedAndUnchanged(store(), () -> store().profiles().apply("bad", ApplyMode.MERGE),
                ErrorCode.INVALID_INPUT, "key 'server.mode'");

        // both violations of one write, each on its own line
        SchemaViolationException refused = catchViolation(() -> store().batch().set("current", "server.port", 0)
                .set("current", "server.mode", "turbo").commit());
        assertThat(refused.violations()).extracting(SchemaViolation::key)
                .containsExactlyInAnyOrder("server.port", "server.mode");
        assertThat(refused.getMessage().lines()).hasSize(3).first().asString()
                .contains("document 'current' would not match its schema (2 violations)");

        // a dry run of an import says so too, without writing
        assertThatThrownBy(() -> store().formats().importDocument("current", Format.JSON,
                new ByteArrayInputStream(file), "bad.json", new ImportOptions(false, true, false)))
                .isInstanceOf(SchemaViolationException.class);
    }

    @Test
    void aParentChangeThatBreaksAChildsSchema_isRefused_andARestoreToo() {
        store().batch().set("current", "name", "hall").set("current", "server.port", 80).commit();
        store().profiles().create(ProfileDefinition.named("kiosk").extending("current"));
        JsonNode smallPorts = json("{\"properties\":{\"server\":{\"properties\":{\"port\":{\"maximum\":1024}}}}}");
        store().schemas().set("kiosk", smallPorts, false);

        // kiosk does not set the port itself: it inherits it, and its schema sees the resolved document
        assertRefusedAndUnchanged(store(), () -> store().put("server.port", 5000), ErrorCode.INVALID_INPUT,
                "document 'kiosk' would not match its schema (1 violation); nothing was written:\n"
                        + "  key 'server.port': must have a maximum value of 1024 (found 5000)");

        store().schemas().remove("kiosk");
        store().put("server.port", 5000);
        store().backups().create("current", "big-port", 0, "");
        store().put("server.port", 1000);
        store().schemas().set("kiosk", smallPorts, false);
        assertRefusedAndUnchanged(store(), () -> store().backups().restore("big-port"), ErrorCode.INVALID_INPUT,
                "document 'kiosk' would not match its schema");
    }

    @Test
    void schemaChanges_areHistory_andARestorePointBringsTheOldSchemaBack() {
        store().put("name", "a");
        store().backups().create("current", "no-schema", 0, "");
        store().schemas().set("current", json(SCHEMA), false);
        store().backups().create("current", "with-schema", 0, "");
        store().schemas().remove("current");
        assertThat(store().schemas().get("current")).isEmpty();
        store().put("server.port", 0); // allowed: no schema now

        store().put("server.port", 1);
        store().backups().restore("with-schema");
        assertThat(store().schemas().get("current")).contains(json(SCHEMA));
        assertThat(store().find("server.port")).isEmpty();
        store().backups().restore("no-schema");
        assertThat(store().schemas().get("current")).isEmpty();
        assertThat(store().history().revisions(100)).extracting(entry -> entry.operation())
                .contains("schema-set", "schema-remove");
    }

    @Test
    void force_setsASchemaTheDocumentFails_andSaysWhichKeys_thenOnlyRepairingWritesPass() {
        store().batch().set("current", "name", "").set("current", "server.port", 0).commit();
        assertRefusedAndUnchanged(store(), () -> store().schemas().set("current", json(SCHEMA), false),
                ErrorCode.INVALID_INPUT, "key 'server.port': must have a minimum value of 1 (found 0)");

        SchemaSetResult forced = store().schemas().set("current", json(SCHEMA), true);

        assertThat(forced.write().changed()).isTrue();
        assertThat(forced.violations()).extracting(SchemaViolation::key).containsExactlyInAnyOrder("name",
                "server.port");
        assertThat(store().schemas().validate("current")).hasSize(2);
        assertThatThrownBy(() -> store().put("server.port", 8)).isInstanceOf(SchemaViolationException.class)
                .hasMessageContaining("key 'name'");
        store().batch().set("current", "name", "fixed").set("current", "server.port", 8).commit();
        assertThat(store().schemas().validate("current")).isEmpty();
    }

    /**
     * A schema whose root judges each top-level key alone is checked on the keys a write
     * changes; the same schema with a root keyword that needs the whole document is checked
     * whole. Both must give the same verdict on every write.
     */
    @Test
    void checkingOnlyTheChangedKeys_givesTheSameVerdictsAsCheckingTheWholeDocument() {
        String local = """
                {"type":"object","required":["name","server"],"additionalProperties":false,
                 "patternProperties":{"^na":{"maxLength":20}},
                 "properties":{"name":{"type":"string"},"dotted.key":{"type":"integer"},
                   "server":{"type":"object","required":["port"],
                             "properties":{"port":{"type":"integer","maximum":65535}}},
                   "tags":{"type":"array","items":{"type":"string"}}}}""";
        ObjectNode whole = (ObjectNode) json(local);
        whole.put("minProperties", 0); // a root keyword about the whole object: no local checking
        for (String document : List.of("local", "whole")) {
            store().profiles().create(ProfileDefinition.named(document));
            store().batch().set(document, "name", "n").set(document, "server.port", 1).commit();
            store().profiles().create(ProfileDefinition.named(document + "-child").extending(document));
        }
        store().schemas().set("local", json(local), false);
        store().schemas().set("whole", whole, false);
        store().schemas().set("local-child", json(local), false);
        store().schemas().set("whole-child", whole, false);

        List<java.util.function.Function<String, Batch>> writes = List.of(
                d -> store().batch().set(d, "server.port", 80),
                d -> store().batch().set(d, "server.port", 70000),
                d -> store().batch().set(d, "server.port", "80"),
                d -> store().batch().unset(d, "server.port"),
                d -> store().batch().unset(d, "name"),
                d -> store().batch().set(d, "unknown", 1),
                d -> store().batch().set(d, ConfigKey.of("dotted.key").toString(), 5),
                d -> store().batch().set(d, ConfigKey.of("dotted.key").toString(), "five"),
                d -> store().batch().set(d, "tags", json("[\"a\", 2]")),
                d -> store().batch().set(d, "tags", json("[\"a\"]")),
                d -> store().batch().set(d, "server.port", 2).set(d, "name", 3),
                d -> store().batch().replace(d, json("{\"name\":\"r\",\"server\":{\"port\":3}}")),
                d -> store().batch().replace(d, json("{\"server\":{\"port\":3}}")),
                d -> store().batch().set(d, "name", "a name longer than twenty characters"),
                d -> store().batch().set(d, "server", json("{}")));
        for (java.util.function.Function<String, Batch> write : writes) {
            List<String> localVerdict = verdict(() -> write.apply("local").commit());
            List<String> wholeVerdict = verdict(() -> write.apply("whole").commit());
            assertThat(localVerdict).isEqualTo(wholeVerdict.stream().map(line -> line.replace("whole", "local")).toList());
            assertThat(store().document("local").orElseThrow().tree()).isEqualTo(store().document("whole").orElseThrow()
                    .tree());
        }
        assertThat(store().schemas().validate("local")).isEmpty();
    }

    /** The violations a write was refused with, as sorted lines; empty if it went through. */
    private static List<String> verdict(Runnable write) {
        try {
            write.run();
            return List.of();
        } catch (SchemaViolationException e) {
            return e.violations().stream().map(v -> v.document() + " " + v.describe()).sorted().toList();
        }
    }

    @Test
    void validate_checksAFileAsTheDocument_andDefaultsAreFilledIn() {
        validStoreWithSchema();
        ObjectNode candidate = (ObjectNode) json("{\"name\":\"x\",\"server\":{\"port\":123456}}");
        assertThat(store().schemas().validate("current", candidate)).singleElement()
                .satisfies(violation -> assertThat(violation.describe())
                        .isEqualTo("key 'server.port': must have a maximum value of 65535 (found 123456)"));
        assertThat(store().find("server.port")).contains(json("80"));

        ObjectNode filled = store().schemas().withDefaults("current", (ObjectNode) json("{\"name\":\"n\",\"server\":{}}"));
        assertThat(filled).isEqualTo(json("{\"name\":\"n\",\"server\":{\"port\":8080,\"mode\":\"safe\"}}"));
    }

    @Test
    void olderDrafts_areUsedWhenTheSchemaNamesThem() {
        store().put("limits", json("{\"low\":1}"));
        store().schemas().set("current", json("""
                {"$schema":"http://json-schema.org/draft-07/schema#",
                 "definitions":{"n":{"type":"integer"}},
                 "properties":{"limits":{"dependencies":{"low":["high"]}},"count":{"$ref":"#/definitions/n"}}}"""),
                true);
        assertThatThrownBy(() -> store().put("count", 1)).isInstanceOf(SchemaViolationException.class)
                .hasMessageContaining("high");
        store().put("limits.high", 9);
        assertThatThrownBy(() -> store().put("count", "one")).hasMessageContaining("key 'count'");
        store().schemas().set("current", json("""
                {"$schema":"https://json-schema.org/draft/2019-09/schema",
                 "properties":{"limits":{"dependentRequired":{"low":["high"]}}}}"""), false);
        assertThatThrownBy(() -> store().unset("current", "limits.high")).isInstanceOf(SchemaViolationException.class);
    }

    @Test
    void badSchemas_areRefused_withTheReason_andTheStoreUnchanged() {
        store().put("name", "a");
        assertRefusedAndUnchanged(store(), () -> store().schemas().set("current", json("{\"type\":\"objekt\"}"), false),
                ErrorCode.INVALID_INPUT, "is not a valid https://json-schema.org/draft/2020-12/schema schema");
        assertRefusedAndUnchanged(store(), () -> store().schemas().set("current",
                json("{\"$schema\":\"https://example.com/my-dialect\"}"), false),
                ErrorCode.INVALID_INPUT, "$schema '\"https://example.com/my-dialect\"' is not a dialect the store knows");
        assertRefusedAndUnchanged(store(), () -> store().schemas().set("current",
                json("{\"properties\":{\"a\":{\"$ref\":\"https://example.com/remote.json\"}}}"), false),
                ErrorCode.INVALID_INPUT, "points outside the schema; the store never fetches");
        assertRefusedAndUnchanged(store(), () -> store().schemas().set("current", json("[1]"), false),
                ErrorCode.INVALID_INPUT, "a JSON Schema is an object or a boolean, not array");
        assertRefusedAndUnchanged(store(), () -> store().schemas().set("ghost", json("{}"), false),
                ErrorCode.NOT_FOUND, "document 'ghost' does not exist");
    }

    @Test
    void archives_carryTheSchemas_withAndWithoutHistory() {
        validStoreWithSchema();
        store().profiles().create(ProfileDefinition.named("dev").extending("current"));
        store().schemas().set("dev", json("{\"properties\":{\"debug\":{\"type\":\"boolean\"}}}"), false);
        for (ArchiveContent content : new ArchiveContent[] {ArchiveContent.FULL_HISTORY, ArchiveContent.HEAD}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store().formats().exportArchive(ArchiveKind.ZIP, out, content);
            Backend other = kind.create();
            try (ConfigStore copy = other.newStore(temp.resolve("copy-" + content)).open()) {
                copy.formats().importArchive(ArchiveKind.ZIP, new ByteArrayInputStream(out.toByteArray()), "s.zip");
                assertThat(copy.schemas().get("current")).contains(json(SCHEMA));
                assertThat(copy.schemas().get("dev")).isPresent();
                assertThatThrownBy(() -> copy.put("dev", "debug", "yes")).isInstanceOf(SchemaViolationException.class);
                assertThatThrownBy(() -> copy.put("server.port", 0)).isInstanceOf(SchemaViolationException.class);
                assertThat(copy.health().verify().isClean()).isTrue();

                // merged into a store that has revisions, the schema comes along and is checked again
                ConfigStore merged = extension.reopen();
                merged.schemas().remove("dev");
                merged.put("dev", "debug", "not a boolean");
                merged.schemas().set("dev", json("{\"properties\":{\"debug\":{\"type\":\"boolean\"}}}"), true);
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                merged.formats().exportArchive(ArchiveKind.ZIP, back, ArchiveContent.HEAD);
                assertRefusedAndUnchanged(copy, () -> copy.formats().importArchive(ArchiveKind.ZIP,
                        new ByteArrayInputStream(back.toByteArray()), "m.zip"), ErrorCode.INVALID_INPUT,
                        "document 'dev' would not match its schema");
                merged.unset("dev", "debug");
            } finally {
                other.cleanUp();
            }
        }
    }

    private static SchemaViolationException catchViolation(Runnable write) {
        try {
            write.run();
        } catch (SchemaViolationException e) {
            return e;
        }
        throw new AssertionError("the write was not refused");
    }
}
