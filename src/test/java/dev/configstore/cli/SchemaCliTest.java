package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code schema set/show/remove}, {@code validate} and {@code show --with-defaults}, with their exit codes. */
class SchemaCliTest {

    static final String SCHEMA = """
            {"type":"object","properties":{
              "port":{"type":"integer","maximum":65535,"default":8080},
              "mode":{"enum":["fast","safe"],"default":"safe"}}}""";

    @TempDir
    Path temp;

    Cli cli() {
        return new Cli(temp.resolve("config"));
    }

    Path file(String name, String text) throws Exception {
        return Files.writeString(temp.resolve(name), text);
    }

    @Test
    void aSchemaIsSetShownAndRemoved_andAWriteThatBreaksItExitsFive_withOneLinePerViolation() throws Exception {
        cli().run("set", "port", "80");
        Cli.Result set = cli().run("schema", "set", file("schema.json", SCHEMA).toString());
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).isEqualTo("schema of 'current' set (revision 2)\n");
        assertThat(cli().run("schema", "show").out()).contains("\"maximum\" : 65535");

        Cli.Result refused = cli().run("set", "port", "70000");
        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err().lines()).containsExactly(
                "configstore: document 'current' would not match its schema (1 violation); nothing was written:",
                "  key 'port': must have a maximum value of 65535 (found 70000)");
        assertThat(cli().run("get", "port").out()).isEqualTo("80\n");
        assertThat(cli().run("revision").out()).isEqualTo("2\n");

        Cli.Result twoBad = cli().run("import", file("bad.json", "{\"port\":\"x\",\"mode\":\"turbo\"}").toString());
        assertThat(twoBad.exit()).isEqualTo(5);
        assertThat(twoBad.err().lines()).hasSize(3);

        assertThat(cli().run("schema", "remove").out()).isEqualTo("schema of 'current' removed (revision 3)\n");
        assertThat(cli().run("schema", "show").exit()).isEqualTo(3);
        assertThat(cli().run("set", "port", "70000").exit()).isZero();
    }

    @Test
    void settingASchemaTheDocumentFails_isRefused_unlessForced_thenTheKeysAreNamed() throws Exception {
        cli().run("set", "port", "99999");
        String schema = file("schema.json", SCHEMA).toString();

        Cli.Result refused = cli().run("schema", "set", schema);
        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err()).contains("key 'port': must have a maximum value of 65535 (found 99999)");
        assertThat(cli().run("schema", "show").exit()).isEqualTo(3);

        Cli.Result forced = cli().run("schema", "set", schema, "--force");
        assertThat(forced.exit()).isZero();
        assertThat(forced.err()).contains("warning: 'current' key 'port': must have a maximum value of 65535");
        assertThat(cli().run("validate").exit()).isEqualTo(5);
    }

    @Test
    void validate_checksTheStoredDocumentOrAFile_writingNothing_andShowFillsInDefaults() throws Exception {
        cli().run("set", "port", "80");
        cli().run("schema", "set", file("schema.yaml", "type: object\nproperties:\n  port: {type: integer,"
                + " maximum: 65535, default: 8080}\n  mode: {enum: [fast, safe], default: safe}\n").toString());

        Cli.Result stored = cli().run("validate");
        assertThat(stored.exit()).isZero();
        assertThat(stored.out()).isEqualTo("'current' matches the schema of 'current'\n");

        Cli.Result bad = cli().run("validate", file("candidate.toml", "port = 123456\n").toString());
        assertThat(bad.exit()).isEqualTo(5);
        assertThat(bad.out()).isEqualTo("key 'port': must have a maximum value of 65535 (found 123456)\n");
        Cli.Result json = cli().run("validate", temp.resolve("candidate.toml").toString(), "--format", "json");
        assertThat(json.out()).contains("\"key\" : \"port\"").contains("\"found\" : 123456");
        assertThat(cli().run("revision").out()).isEqualTo("2\n");

        assertThat(cli().run("show", "--with-defaults").out()).contains("\"mode\" : \"safe\"").contains("\"port\" : 80");
        assertThat(cli().run("show").out()).doesNotContain("safe");
        assertThat(cli().run("show", "--with-defaults", "--format", "properties").out())
                .isEqualTo("port=80\nmode=safe\n");
    }

    @Test
    void badSchemaFiles_exitFive_withTheReason() throws Exception {
        cli().run("set", "port", "80");
        Cli.Result remote = cli().run("schema", "set", file("remote.json",
                "{\"$ref\":\"https://example.com/s.json\"}").toString());
        assertThat(remote.exit()).isEqualTo(5);
        assertThat(remote.err()).contains("never fetches");
        Cli.Result malformed = cli().run("schema", "set", file("broken.json", "{\"type\":").toString());
        assertThat(malformed.exit()).isEqualTo(5);
        Cli.Result dialect = cli().run("schema", "set", file("dialect.json",
                "{\"$schema\":\"http://json-schema.org/draft-04/schema#\"}").toString());
        assertThat(dialect.exit()).isEqualTo(5);
        assertThat(dialect.err()).contains("is not a dialect the store knows");
        assertThat(cli().run("revision").out()).isEqualTo("1\n");
    }
}
