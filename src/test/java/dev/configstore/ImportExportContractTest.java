package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.configstore.backup.RestorePoint;
import dev.configstore.format.ExportOptions;
import dev.configstore.format.Format;
import dev.configstore.format.ImportException;
import dev.configstore.format.ImportOptions;
import dev.configstore.format.ImportResult;
import dev.configstore.profile.ProfileDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Document import and export, and hostile input, written once and run on every backend. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.Kind.class)
class ImportExportContractTest {

    @RegisterExtension
    final StoreExtension extension;

    ImportExportContractTest(Backend.Kind backend) {
        this.extension = new StoreExtension(backend.create(), builder -> builder.maxImportBytes(LIMIT));
    }

    /** The import size limit the backends' stores are opened with in this suite. */
    static final int LIMIT = 64 * 1024;

    StoreExtension extension() {
        return extension;
    }

    @TempDir
    Path temp;

    ConfigStore store() {
        return extension().store();
    }

    static JsonNode json(String text) {
        return StoreAssertions.json(text);
    }

    private ImportResult importText(String document, Format format, String text, boolean replace, boolean dryRun) {
        return importBytes(document, format, text.getBytes(StandardCharsets.UTF_8), replace, dryRun);
    }

    private ImportResult importBytes(String document, Format format, byte[] bytes, boolean replace, boolean dryRun) {
        return store().formats().importDocument(document, format, new ByteArrayInputStream(bytes),
                "settings." + format.extension(), new ImportOptions(replace, dryRun, false));
    }

    private String export(String document, long revision, boolean resolved, Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store().formats().exportDocument(document, format, out,
                (revision < 0 ? ExportOptions.head() : ExportOptions.head().atRevision(revision)).withRaw(!resolved));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void import_mergesByDefault_inOneRevision_fileWins() {
        store().batch().set("current", "camera.fps", 30).set("current", "camera.id", 1).set("current", "audio", true)
                .commit();

        ImportResult result = importText("current", Format.YAML, "camera:\n  fps: 60\n  exposure: 7\nnew: x\n",
                false, false);

        assertThat(result.write().revision()).isEqualTo(2);
        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json(
                "{\"audio\":true,\"camera\":{\"exposure\":7,\"fps\":60,\"id\":1},\"new\":\"x\"}"));
        assertThat(result.diff().changes()).extracting(change -> change.key() + ":" + change.kind())
                .containsExactly("camera.exposure:ADDED", "camera.fps:CHANGED", "new:ADDED");
        assertThat(store().history().revisions(1).get(0).operation()).isEqualTo("import");
    }

    @Test
    void import_replace_makesTheDocumentEqualToTheFile_afterAnAutomaticRestorePoint() {
        store().batch().set("current", "a", 1).set("current", "b", 2).commit();

        ImportResult result = importText("current", Format.TOML, "b = 3\n[c]\nd = 'x'\n", true, false);

        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json("{\"b\":3,\"c\":{\"d\":\"x\"}}"));
        RestorePoint automatic = store().backups().list().get(0);
        assertThat(automatic.name()).isEqualTo("auto-1-import-replace");
        assertThat(automatic.document()).contains("current");
        assertThat(result.diff().changes()).hasSize(3);
    }

    @Test
    void import_dryRun_printsTheDiff_andWritesNothing() {
        store().put("a", 1);

        ImportResult result = importText("current", Format.JSON, "{\"a\":2,\"b\":true}", true, true);

        assertThat(result.write().changed()).isFalse();
        assertThat(result.diff().changes()).extracting(change -> change.key() + ":" + change.kind())
                .containsExactly("a:CHANGED", "b:ADDED");
        assertThat(store().refresh()).isEqualTo(1);
        assertThat(store().backups().list()).isEmpty();
        assertThat(store().find("a")).contains(json("1"));
    }

    @Test
    void import_intoANewProfile_createsIt() {
        importText("table-3", Format.PROPERTIES, "camera.id=3\n", false, false);
        assertThat(store().find("table-3", "camera.id")).contains(json("\"3\""));
    }

    @Test
    void export_rawOrResolved_atHeadOrAtARevision() {
        store().profiles().create(ProfileDefinition.named("base"));
        store().put("base", "fps", 30);
        store().profiles().create(ProfileDefinition.named("t3").extending("base"));
        store().put("t3", "id", 3);
        long then = store().revision();
        store().put("t3", "id", 4);

        assertThat(json(export("t3", -1, true, Format.JSON))).isEqualTo(json("{\"fps\":30,\"id\":4}"));
        assertThat(json(export("t3", -1, false, Format.JSON))).isEqualTo(json("{\"id\":4}"));
        assertThat(json(export("t3", then, true, Format.JSON))).isEqualTo(json("{\"fps\":30,\"id\":3}"));
        assertThat(export("t3", -1, true, Format.PROPERTIES)).isEqualTo("fps=30\nid=4\n");
        assertThatThrownBy(() -> export("nope", -1, true, Format.JSON))
                .isInstanceOfSatisfying(ConfigStoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void exportThenImport_intoAnotherDocument_givesTheSameTreeWhereTheFormatCanSayIt(Format format) {
        store().batch().set("current", "camera.device", "/dev/video0").set("current", "camera.name", "Grüße")
                .set("current", "table.felt", "green").commit();

        String written = export("current", -1, true, format);
        importText("copy", format, written, true, false);

        assertThat(store().document("copy").orElseThrow().tree()).isEqualTo(store().document("current").orElseThrow().tree());
    }

    // ---- bad and hostile input: one clear error naming the file and place; the store unchanged ----

    private void assertRefused(Format format, byte[] bytes, String... messageParts) {
        store().put("before", "kept");
        long revision = store().revision();
        JsonNode tree = store().document("current").orElseThrow().tree();

        assertThatThrownBy(() -> importBytes("current", format, bytes, false, false))
                .isInstanceOfSatisfying(ImportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.getMessage()).startsWith("settings." + format.extension()).doesNotContain("\n");
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
        assertThatThrownBy(() -> importBytes("current", format, bytes, true, false)).isInstanceOf(ImportException.class);

        assertThat(store().refresh()).isEqualTo(revision);
        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(tree);
        assertThat(store().backups().list()).isEmpty();
    }

    private void assertRefused(Format format, String text, String... messageParts) {
        assertRefused(format, text.getBytes(StandardCharsets.UTF_8), messageParts);
    }

    @Test
    void malformedFiles_inEveryFormat_areRefusedWithLineAndColumn() {
        assertRefused(Format.JSON, "{\"a\": 1,\n  \"b\": }", "settings.json:2:8:");
        assertRefused(Format.YAML, "a: 1\nb: [1, 2\nc: 3\n", "settings.yaml:");
        assertRefused(Format.TOML, "a = 1\nb = = 2\n", "settings.toml:2:");
        assertRefused(Format.INI, "[ok]\nthis line is not ini\n", "settings.ini:2:1: expected key = value");
        assertRefused(Format.XML, "<config>\n  <a>1</b>\n</config>", "settings.xml:2:");
        assertRefused(Format.PROPERTIES, "a=\\u12zz\n", "settings.properties: ", "Malformed");
        assertRefused(Format.JSON, "[1, 2]", "the top level must be an object");
    }

    @Test
    void duplicateKeys_areAnError_notLastWins() {
        assertRefused(Format.JSON, "{\"a\": 1,\n \"a\": 2}", "settings.json:2:", "Duplicate field 'a'");
        assertRefused(Format.YAML, "a: 1\na: 2\n", "settings.yaml:2:1: duplicate key 'a'");
        assertRefused(Format.TOML, "a = 1\na = 2\n", "settings.toml:2:1:", "previously defined");
        assertRefused(Format.INI, "[s]\na = 1\na = 2\n", "settings.ini:3:1: key 'a' appears twice in section [s]");
        assertRefused(Format.INI, "[s]\n[s]\n", "settings.ini:2:1: section [s] appears twice");
        assertRefused(Format.PROPERTIES, "a=1\nb=2\na=3\n", "settings.properties:3: key 'a' appears twice");
        assertRefused(Format.PROPERTIES, "a=1\na.b=2\na.@value=3\n", "settings.properties:3: key 'a.@value' is where the value"
                + " of 'a' goes");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void invalidUtf8_isRefusedWithItsPlace(Format format) {
        byte[] bytes = {'a', ' ', '=', ' ', '1', '\n', 'b', '=', (byte) 0xC3, (byte) 0x28, '\n'};
        assertRefused(format, bytes, "settings." + format.extension() + ":2:3: not valid UTF-8 (byte 0xc3");
    }

    @Test
    void nestingDeeperThan64Levels_isRefused() {
        String deepJson = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertRefused(Format.JSON, deepJson, "settings.json: nests deeper than 64 levels");
        String deepYaml = "{a: ".repeat(100) + "1" + "}".repeat(100);
        assertRefused(Format.YAML, deepYaml, "settings.yaml");
        assertRefused(Format.TOML, "a" + ".a".repeat(99) + " = 1\n", "settings.toml", "nests deeper than 64");
        assertRefused(Format.XML, "<config>" + "<a>".repeat(100) + "1" + "</a>".repeat(100) + "</config>",
                "settings.xml");
    }

    @Test
    void filesOverTheSizeLimit_areRefusedBeforeBeingReadWhole() {
        byte[] big = ("a = \"" + "x".repeat(LIMIT) + "\"\n").getBytes(StandardCharsets.UTF_8);
        assertRefused(Format.TOML, big, "settings.toml: larger than the limit of " + LIMIT + " bytes");
    }

    @Test
    void yamlAliasBomb_isRefusedQuickly() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'j'; level++) {
            String previous = String.valueOf((char) (level - 1));
            bomb.append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(8, "*" + previous))).append("]\n");
        }
        long start = System.nanoTime();
        assertRefused(Format.YAML, bomb.toString(), "settings.yaml:", "alias");
        assertThat(System.nanoTime() - start).as("refused without expanding").isLessThan(10_000_000_000L);
    }

    @Test
    void yamlAliasesOfALongString_areRefusedByTheCharacterBudget() {
        StringBuilder bomb = new StringBuilder("s: &s \"" + "x".repeat(30_000) + "\"\na: [");
        for (int i = 0; i < 200; i++) {
            bomb.append(i == 0 ? "" : ",").append("*s");
        }
        bomb.append("]\n");
        assertRefused(Format.YAML, bomb.toString(), "settings.yaml:", "characters of values; refused as an alias bomb");
    }

    /**
     * Files shaped like real ones (written for this test, see src/test/resources/real-files):
     * each imports, reads back, exports to its own format and imports again to the same tree.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "connect-worker.properties|PROPERTIES|key.converter.@value|org.apache.kafka.connect.json.JsonConverter",
            "connect-worker.properties|PROPERTIES|plugin.path|/usr/share/java,/opt/connectors",
            "log4j.properties|PROPERTIES|log4j.rootLogger|INFO, stdout, file",
            "log4j.properties|PROPERTIES|log4j.appender.stdout.@value|org.apache.log4j.ConsoleAppender",
            "log4j.properties|PROPERTIES|log4j.logger.org.hibernate.@value|WARN",
            "log4j.properties|PROPERTIES|log4j.logger.org.hibernate.SQL|DEBUG",
            "log4j.properties|PROPERTIES|greeting|Grüße aus Köln",
            "tox.ini|INI|testenv.deps|\\npytest>=7\\npytest-cov\\nhypothesis==6.80",
            "tox.ini|INI|flake8.exclude|\\n.git,\\n__pycache__,\\n\\nbuild",
            "tox.ini|INI|testenv:lint.commands|ruff check src tests",
            "setup.cfg|INI|options.entry_points.console_scripts|\\ntrainer = trainer.cli:main\\ntrainer-calibrate = trainer.calibrate:main",
            "compose.yaml|YAML|services.trainer.environment.COUNTRY|NO",
            "compose.yaml|YAML|services.trainer.environment.CAMERA_ON|on",
            "compose.yaml|YAML|services.trainer.environment.TZ|Europe/Oslo",
            "compose.yaml|YAML|services.db.restart|unless-stopped",
            "compose.yaml|YAML|services.db.logging.options.max-size|10m",
            "log4j2.xml|XML|Appenders.Console.PatternLayout.pattern|${pattern}",
            "log4j2.xml|XML|Loggers.Root.level|info",
            "checkstyle.xml|XML|module.module.property.value|120",
            "Cargo.toml|TOML|profile.release.opt-level|3",
            "Cargo.toml|TOML|package.license|MIT OR Apache-2.0",
            "pyproject.toml|TOML|project.released|2026-11-30",
            "pyproject.toml|TOML|project.last-build|2026-12-01T08:15:00Z",
            "pyproject.toml|TOML|tool.pytest.ini_options.max-failures|16"})
    void realShapedFiles_importReadBackAndExportTheSameContent(String file, Format format, String key, String value)
            throws Exception {
        byte[] original;
        try (var in = getClass().getResourceAsStream("/real-files/" + file)) {
            original = in.readAllBytes();
        }
        importBytes("current", format, original, true, false);

        assertThat(store().find(key)).as(file + " " + key).map(JsonNode::asText)
                .contains(value.replace("\\n", "\n"));
        JsonNode imported = store().document("current").orElseThrow().tree();
        String exported = export("current", -1, false, format);
        importText("copy", format, exported, true, false);
        assertThat(store().document("copy").orElseThrow().tree()).as(exported).isEqualTo(imported);
        if (format == Format.PROPERTIES) {
            // the same name and value pairs as the file, read by the JDK's own reader
            java.util.Properties before = new java.util.Properties();
            before.load(new java.io.StringReader(new String(original, StandardCharsets.UTF_8)));
            java.util.Properties after = new java.util.Properties();
            after.load(new java.io.StringReader(exported));
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void realShapedFiles_holdTheValuesTheirSpecificationsDefine() throws Exception {
        for (String[] file : new String[][] {{"compose.yaml", "YAML"}, {"log4j2.xml", "XML"},
                {"Cargo.toml", "TOML"}, {"pyproject.toml", "TOML"}}) {
            try (var in = getClass().getResourceAsStream("/real-files/" + file[0])) {
                importBytes(file[0].replace('.', '-'), Format.valueOf(file[1]), in.readAllBytes(), true, false);
            }
        }
        JsonNode compose = store().document("compose-yaml").orElseThrow().tree();
        // YAML 1.2: 0777 is the integer 777, no octal; merge keys merged, own keys winning
        assertThat(compose.at("/services/trainer/environment/UMASK")).isEqualTo(json("777"));
        assertThat(compose.at("/services/db/environment")).isEqualTo(json(
                "{\"TZ\":\"Europe/Oslo\",\"LOG_LEVEL\":\"info\",\"POSTGRES_PASSWORD\":\"example\"}"));
        assertThat(compose.at("/services/trainer/ports")).isEqualTo(json("[\"8080:8080\",\"9000:9000\"]"));
        assertThat(compose.at("/volumes/db-data")).isEqualTo(json("{}"));
        JsonNode log4j2 = store().document("log4j2-xml").orElseThrow().tree();
        assertThat(log4j2.at("/Properties/Property/1")).isEqualTo(json(
                "{\"name\":\"pattern\",\"@value\":\"%d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n\"}"));
        JsonNode cargo = store().document("Cargo-toml").orElseThrow().tree();
        assertThat(cargo.at("/bin")).isEqualTo(json(
                "[{\"name\":\"tracker\",\"path\":\"src/main.rs\"},{\"name\":\"calibrate\",\"path\":\"src/calibrate.rs\"}]"));
        assertThat(cargo.at("/profile/release/lto")).isEqualTo(json("true"));
        JsonNode pyproject = store().document("pyproject-toml").orElseThrow().tree();
        assertThat(pyproject.at("/tool/pytest/ini_options/timeout")).isEqualTo(json("1000.0"));
        assertThat(pyproject.at("/tool/pytest/ini_options/max-failures")).isEqualTo(json("16"));
    }

    @Test
    void xmlDoctypeExternalEntitiesAndEntityExpansion_areRefused_andNoLocalFileReachesTheStore() throws Exception {
        Path secret = temp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String external = "<?xml version=\"1.0\"?>\n<!DOCTYPE config [\n  <!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">\n]>\n<config><a>&xxe;</a></config>";
        assertRefused(Format.XML, external, "settings.xml:3:3: XML with entity declarations is refused");
        String laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
                + "<config><a>&lol2;</a></config>";
        assertRefused(Format.XML, laughs, "settings.xml:1:17: XML with entity declarations is refused");
        assertRefused(Format.XML, "<!DOCTYPE config [<!ATTLIST a b CDATA 'x'>]><config><a/></config>",
                "settings.xml:1:1: a DOCTYPE with an internal subset is refused");
        // a DOCTYPE that names an external DTD is accepted and the DTD never read: the entity it
        // declares stays undeclared, the attribute default it gives is not applied
        Path dtd = temp.resolve("config.dtd");
        Files.writeString(dtd, "<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">\n<!ATTLIST a extra CDATA 'injected'>\n");
        assertRefused(Format.XML, "<!DOCTYPE config SYSTEM \"" + dtd.toUri() + "\">\n<config><a>&xxe;</a></config>",
                "settings.xml:2:");
        assertRefused(Format.XML, "<config><a>&undeclared;</a></config>", "settings.xml:1:");
        assertThat(store().history().query("SELECT COUNT(*) FROM cs_entry WHERE value_json LIKE '%TOP-SECRET%'", 1)
                .rows()).containsExactly(List.of("0"));
        // text that only looks like a declaration, in a comment or a value, is not one
        importText("current", Format.XML, "<!-- was: <!DOCTYPE x [<!ENTITY e 'x'>] -->\n<config><note>write"
                + " &lt;!ENTITY here</note></config>", true, false);
        assertThat(store().document("current").orElseThrow().tree())
                .isEqualTo(json("{\"note\":\"write <!ENTITY here\"}"));
        importText("current", Format.XML, "<?xml version=\"1.0\"?>\n<!DOCTYPE config PUBLIC \"-//Example//DTD 1.3//EN\" \""
                + dtd.toUri() + "\">\n<config><a><b>1</b></a></config>", true, false);
        assertThat(store().document("current").orElseThrow().tree()).isEqualTo(json("{\"a\":{\"b\":\"1\"}}"));
    }

    @Test
    void keysTheStoreCannotHold_areRefusedNamingTheFile() {
        assertRefused(Format.JSON, "{\"\": 1}", "settings.json:1:2: an empty key");
        assertRefused(Format.YAML, "a:\n  \"b\\x01\": 1\n", "settings.yaml:2:3: the key 'b?' holds the control character U+0001");
    }
}
