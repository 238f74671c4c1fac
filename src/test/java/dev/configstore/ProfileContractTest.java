package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.backup.RestorePoint;
import dev.configstore.profile.ApplyMode;
import dev.configstore.profile.Profile;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.profile.ResolvedKey;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Profiles and inheritance, written once and run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class ProfileContractTest {

    @RegisterExtension
    final StoreExtension extension;

    ProfileContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create());
    }

    StoreExtension extension() {
        return extension;
    }

    ConfigStore store() {
        return extension().store();
    }

    static JsonNode json(String text) {
        return StoreAssertions.json(text);
    }

    /** base <- table <- table-3, each with some keys. */
    void threeLevels() {
        store().profiles().create(ProfileDefinition.named("base").describedAs("shared defaults")
                .taggedWith(List.of("lab")));
        store().batch()
                .set("base", "vision.camera.device_id", 0)
                .set("base", "vision.camera.fps", 30)
                .set("base", "projector.modes", json("[\"a\",\"b\"]"))
                .set("base", "audio", true)
                .commit();
        store().profiles().create(ProfileDefinition.named("table").extending("base"));
        store().batch()
                .set("table", "vision.camera.fps", 60)
                .set("table", "projector.modes", json("[\"c\"]"))
                .set("table", "audio", json("{\"volume\":5}"))
                .commit();
        store().profiles().create(ProfileDefinition.named("table-3").extending("table"));
        store().put("table-3", "vision.camera.device_id", 3);
    }

    @Test
    void resolve_deepMergesAlongTheChain_childWins_arraysAndScalarsReplacedWhole() {
        threeLevels();

        assertThat(store().document("table-3").orElseThrow().tree()).isEqualTo(json("""
                {"audio":{"volume":5},
                 "projector":{"modes":["c"]},
                 "vision":{"camera":{"device_id":3,"fps":60}}}"""));
        assertThat(store().find("table-3", "vision.camera")).contains(json("{\"device_id\":3,\"fps\":60}"));
        assertThat(store().find("table-3", "vision.camera.fps")).contains(json("60"));
        assertThat(store().find("table-3", "audio.volume")).contains(json("5"));
        assertThat(store().find("table-3", "projector.modes")).contains(json("[\"c\"]"));
        assertThat(store().find("table-3", "missing")).isEmpty();
        assertThat(store().profiles().raw("table-3").orElseThrow().tree())
                .isEqualTo(json("{\"vision\":{\"camera\":{\"device_id\":3}}}"));
    }

    @Test
    void resolve_childScalarHidesParentObject_andChildEmptyObjectKeepsParentKeys() {
        store().batch().set("base", "a.b", 1).set("base", "c.d", 2).commit();
        store().profiles().create(ProfileDefinition.named("kid").extending("base"));
        store().batch().set("kid", "a", "flat").set("kid", "c", json("{}")).commit();

        assertThat(store().document("kid").orElseThrow().tree()).isEqualTo(json("{\"a\":\"flat\",\"c\":{\"d\":2}}"));
        assertThat(store().find("kid", "a.b")).isEmpty();
        assertThat(store().find("kid", "c")).contains(json("{\"d\":2}"));
    }

    @Test
    void explain_namesTheSupplyingDocumentAndRevisionOfEveryKey() {
        threeLevels();
        long deviceRevision = store().revision();

        List<ResolvedKey> keys = store().profiles().explain("table-3");

        assertThat(keys).extracting(key -> key.key().toString() + "=" + key.value() + "@" + key.document())
                .containsExactly("audio.volume=5@table", "projector.modes=[\"c\"]@table",
                        "vision.camera.device_id=3@table-3", "vision.camera.fps=60@table");
        assertThat(keys.get(2).revision()).isEqualTo(deviceRevision);
        assertThat(keys.get(0).revision()).isEqualTo(4);
    }

    @Test
    void list_showsParentKeysAndLastRevision_andExcludesTheMainDocument() {
        threeLevels();
        store().put("x", 1);

        List<Profile> profiles = store().profiles().list();

        assertThat(profiles).extracting(Profile::name).containsExactly("base", "table", "table-3");
        Profile base = profiles.get(0);
        assertThat(base.parent()).isEmpty();
        assertThat(base.description()).isEqualTo("shared defaults");
        assertThat(base.tags()).containsExactly("lab");
        assertThat(base.keyCount()).isEqualTo(4);
        assertThat(profiles.get(2).parent()).contains("table");
        assertThat(profiles.get(2).lastChanged()).isEqualTo(6);
        assertThat(store().history().query("SELECT document, parent, last_revision FROM documents ORDER BY document",
                10).rows()).containsExactly(java.util.Arrays.asList("base", null, "2"),
                java.util.Arrays.asList("current", null, "7"), java.util.Arrays.asList("table", "base", "4"),
                java.util.Arrays.asList("table-3", "table", "6"));
    }

    @Test
    void setParent_changesResolution_andIsItselfARevisionReadableInThePast() {
        threeLevels();
        long before = store().revision();
        store().profiles().create(ProfileDefinition.named("other"));
        store().put("other", "vision.camera.fps", 15);

        store().profiles().setParent("table-3", "other");

        assertThat(store().find("table-3", "vision.camera.fps")).contains(json("15"));
        assertThat(store().find("table-3", "audio")).isEmpty();
        assertThat(store().document("table-3", before).orElseThrow().find("vision.camera.fps")).contains(json("60"));
        assertThat(store().profiles().find("table-3").orElseThrow().parent()).contains("other");

        store().profiles().clearParent("table-3");
        assertThat(store().document("table-3").orElseThrow().tree())
                .isEqualTo(json("{\"vision\":{\"camera\":{\"device_id\":3}}}"));
    }

    @Test
    void rename_movesContentAndMetadata_childrenFollow_oldHistoryStays() {
        threeLevels();
        long before = store().revision();

        WriteResult renamed = store().profiles().rename("table", "snooker");

        assertThat(renamed.revision()).isEqualTo(before + 1);
        assertThat(store().profiles().find("table")).isEmpty();
        assertThat(store().profiles().find("snooker").orElseThrow().parent()).contains("base");
        assertThat(store().profiles().find("table-3").orElseThrow().parent()).contains("snooker");
        assertThat(store().find("table-3", "vision.camera.fps")).contains(json("60"));
        assertThat(store().profiles().raw("table", before).orElseThrow().find("vision.camera.fps"))
                .contains(json("60"));
        assertThat(store().health().verify().isClean()).isTrue();
    }

    @Test
    void delete_makesAnAutomaticRestorePointThatBringsItBack() {
        threeLevels();
        JsonNode before = store().document("table-3").orElseThrow().tree();
        long head = store().revision();

        store().profiles().delete("table-3");

        assertThat(store().document("table-3")).isEmpty();
        RestorePoint automatic = store().backups().list().get(0);
        assertThat(automatic.automatic()).isTrue();
        assertThat(automatic.document()).contains("table-3");
        assertThat(automatic.revision()).isEqualTo(head);
        store().backups().restore(automatic.name());
        assertThat(store().document("table-3").orElseThrow().tree()).isEqualTo(before);
        assertThat(store().profiles().find("table-3").orElseThrow().parent()).contains("table");
    }

    @Test
    void apply_mergesTheResolvedProfileOntoCurrent_replaceReplacesIt() {
        threeLevels();
        store().batch().set("current", "vision.camera.exposure", 7).set("current", "audio", false).commit();

        store().profiles().apply("table-3", ApplyMode.MERGE);
        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json("""
                {"audio":{"volume":5},
                 "projector":{"modes":["c"]},
                 "vision":{"camera":{"device_id":3,"exposure":7,"fps":60}}}"""));
        assertThat(store().backups().list()).extracting(RestorePoint::name).containsExactly("auto-7-apply");

        store().profiles().apply("base", ApplyMode.REPLACE);
        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json("""
                {"audio":true,"projector":{"modes":["a","b"]},"vision":{"camera":{"device_id":0,"fps":30}}}"""));
        assertThat(store().backups().list()).hasSize(2).last()
                .satisfies(point -> assertThat(point.document()).contains("current"));
    }

    @Test
    void keyCommands_takeAProfile_readsResolveAndWritesGoToTheProfileItself() {
        threeLevels();
        store().put("table-3", "audio.volume", 9);

        assertThat(store().find("table-3", "audio.volume")).contains(json("9"));
        assertThat(store().find("table", "audio.volume")).contains(json("5"));
        assertThatThrownBy(() -> store().unset("table-3", "vision.camera.fps"))
                .isInstanceOfSatisfying(ConfigStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    // ---- bad input: a clear error and the store exactly as it was ----

    private void assertRefused(ThrowingCallable call, ErrorCode code, String message) {
        StoreAssertions.assertRefusedAndUnchanged(store(), call, code, message);
    }

    @Test
    void cycle_direct_isRefused() {
        threeLevels();
        assertRefused(() -> store().profiles().setParent("base", "base"), ErrorCode.INVALID_INPUT,
                "inheritance cycle base -> base");
        assertRefused(() -> store().profiles().setParent("table", "table-3"), ErrorCode.INVALID_INPUT,
                "inheritance cycle table -> table-3 -> table");
    }

    @Test
    void cycle_throughThreeProfiles_isRefused() {
        threeLevels();
        assertRefused(() -> store().profiles().setParent("base", "table-3"), ErrorCode.INVALID_INPUT,
                "'base' cannot extend 'table-3': that makes an inheritance cycle base -> table-3 -> table -> base");
    }

    @Test
    void unknownParent_isRefused() {
        threeLevels();
        assertRefused(() -> store().profiles().create(ProfileDefinition.named("new").extending("nope")),
                ErrorCode.NOT_FOUND, "'new' would extend 'nope', which does not exist");
        assertRefused(() -> store().profiles().setParent("table", "nope"), ErrorCode.NOT_FOUND,
                "'table' would extend 'nope', which does not exist");
        assertThat(store().profiles().find("new")).isEmpty();
    }

    @Test
    void duplicateProfile_andRenameOntoAnExistingName_areRefused() {
        threeLevels();
        assertRefused(() -> store().profiles().create(ProfileDefinition.named("base")), ErrorCode.INVALID_INPUT,
                "profile 'base' already exists");
        assertRefused(() -> store().profiles().rename("table", "base"), ErrorCode.INVALID_INPUT,
                "a document named 'base' already exists");
        assertRefused(() -> store().profiles().rename("table", "current"), ErrorCode.INVALID_INPUT,
                "'current' is the main document");
        assertRefused(() -> store().profiles().rename("nope", "fresh"), ErrorCode.NOT_FOUND,
                "profile 'nope' does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..\\up", "tab\tname", "bell\u0007", "x'; DROP TABLE cs_entry; --",
            "robert\"); DELETE FROM cs_revision", "", "-leading-dash", "name with space"})
    void malformedNames_areRefused_everywhere(String name) {
        threeLevels();
        String shown = name.replaceAll("\\p{Cntrl}", "?");
        assertRefused(() -> store().profiles().create(ProfileDefinition.named(name)), ErrorCode.INVALID_INPUT,
                "invalid document name '" + shown + "'");
        assertRefused(() -> store().profiles().create(ProfileDefinition.named("ok").extending(name)),
                ErrorCode.INVALID_INPUT, "invalid document name");
        assertRefused(() -> store().profiles().rename("table", name), ErrorCode.INVALID_INPUT,
                "invalid document name");
        assertRefused(() -> store().backups().create(name, 0, ""), ErrorCode.INVALID_INPUT,
                "invalid restore point name");
    }

    @Test
    void deletingCurrent_orAParentOthersExtend_isRefused() {
        threeLevels();
        store().put("x", 1);
        assertRefused(() -> store().profiles().delete("current"), ErrorCode.INVALID_INPUT,
                "'current' is the main document");
        assertRefused(() -> store().profiles().delete("table"), ErrorCode.INVALID_INPUT,
                "cannot delete 'table': 'table-3' extends it");
        assertRefused(() -> store().delete("base"), ErrorCode.INVALID_INPUT, "cannot delete 'base': 'table' extends it");
        assertRefused(() -> store().profiles().delete("nope"), ErrorCode.NOT_FOUND, "profile 'nope' does not exist");
        assertThat(store().find("x")).contains(json("1"));
    }

    @Test
    void metadata_isValidated() {
        threeLevels();
        assertRefused(() -> store().profiles().create(ProfileDefinition.named("t").taggedWith(List.of("a\u0000"))),
                ErrorCode.INVALID_INPUT, "invalid tag");
        assertRefused(() -> store().profiles().describe("table", "x".repeat(2001), List.of()),
                ErrorCode.INVALID_INPUT, "description is 2001 characters");
        assertThat(store().profiles().find("t")).isEqualTo(Optional.empty());
    }

    @Test
    void profiles_surviveReopen() {
        threeLevels();
        ConfigStore reopened = extension().reopen();
        assertThat(reopened.profiles().find("table-3").orElseThrow().parent()).contains("table");
        assertThat(reopened.find("table-3", "vision.camera.fps")).contains(json("60"));
        assertThat(reopened.health().verify().isClean()).isTrue();
    }
}
