package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The export and import commands on real files. */
class ImportExportCliTest {

    @TempDir
    Path temp;

    Cli.Result run(String... args) {
        return new Cli(temp.resolve("config")).run(args);
    }

    @Test
    void exportByExtension_thenImportIntoAProfile_withDryRunFirst() throws IOException {
        run("set", "camera.fps", "30");
        run("set", "camera.name", "front");
        Path yaml = temp.resolve("settings.yaml");

        assertThat(run("export", yaml.toString()).exit()).isZero();
        assertThat(Files.readString(yaml)).contains("camera:").contains("fps: 30").contains("name: \"front\"");

        Files.writeString(yaml, Files.readString(yaml).replace("fps: 30", "fps: 60"));
        Cli.Result dryRun = run("import", yaml.toString(), "--dry-run");
        assertThat(dryRun.out()).isEqualTo("~ camera.fps: 30 -> 60\ndry run: 1 key changes, nothing written\n");
        assertThat(run("revision").out()).isEqualTo("2\n");

        Cli.Result imported = run("import", yaml.toString());
        assertThat(imported.out()).contains("imported into 'current' at revision 3");
        assertThat(run("get", "camera.fps").out()).isEqualTo("60\n");

        Cli.Result replaced = run("import", yaml.toString(), "--profile", "table-3", "--replace");
        assertThat(replaced.exit()).isZero();
        assertThat(run("get", "camera.name", "--profile", "table-3").out()).isEqualTo("front\n");
    }

    @Test
    void unknownExtension_exportsJson_butImportAsksForAFormat() throws IOException {
        run("set", "a", "1");
        Path file = temp.resolve("settings.conf");

        assertThat(run("export", file.toString()).exit()).isZero();
        assertThat(Files.readString(file)).isEqualTo("{\n  \"a\" : 1\n}\n");
        Cli.Result refused = run("import", file.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("cannot tell the format of");
        assertThat(run("import", file.toString(), "--format", "json").exit()).isZero();
        assertThat(run("export", temp.resolve("x.ini").toString(), "--format", "toml").exit()).isZero();
        assertThat(Files.readString(temp.resolve("x.ini"))).isEqualTo("a = 1\n");
    }

    @Test
    void badFiles_exit5_withOneLineNamingTheFileAndPlace_andChangeNothing() throws IOException {
        run("set", "a", "1");
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, "{\"a\": 2,\n \"a\": 3}");

        Cli.Result refused = run("import", broken.toString());

        assertThat(refused.exit()).isEqualTo(5);
        assertThat(refused.err()).startsWith("configstore: " + broken + ":2:").endsWith("\n")
                .contains("Duplicate field 'a'");
        assertThat(refused.err().lines()).hasSize(1);
        assertThat(run("revision").out()).isEqualTo("1\n");
        Cli.Result missing = run("import", temp.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(run("export", temp.resolve("out.json").toString(), "--profile", "nope").exit()).isEqualTo(3);
        assertThat(temp.resolve("out.json")).doesNotExist();
        assertThat(run("import", broken.toString(), "--format", "csv").exit()).isEqualTo(2);
    }

    /** Files that bend values when read leniently: each is refused with exit 5, its line, and the store as it was. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "leap.toml|when = 2100-02-29|1|",
            "hour.toml|when = 1979-05-27T24:00:00|1|",
            "offset.toml|when = 1979-05-27T07:32:00+12:60|1|",
            "twice.toml|[a]\\nb = 1\\n[a]\\nc = 2|3|",
            "dotted.toml|[fruit]\\napple.color = 'red'\\n[fruit.apple]|3|",
            "inline.toml|t = { a = 1 }\\nt.b = 2|2|",
            "int.toml|a = 9223372036854775808|1|",
            "inf.toml|ok = 1\\nspeed = inf|2|not a number the store can hold",
            "nan.yaml|ok: 1\\nratio: .nan|2|not a number the store can hold",
            "bool-tag.yaml|ok: 1\\nlegacy: !!bool yes|2|is not a !!bool value",
            "custom-tag.yaml|bucket: !Ref Name|1|the tag !Ref",
            "surrogate.json|{\"a\": \"\\ud800\"}|1|lone surrogate",
            "empty-key.json|{\"ok\": 1,\\n \"\": 2}|2|an empty key",
            "tab-key.toml|ok = 1\\n\"a\\tb\" = 2|2|control character U+0009",
            "entity.xml|<!DOCTYPE c [<!ENTITY e 'x'>]><c>&e;</c>|1|entity declarations",
            "split.properties|a..b=1|1|an empty key"})
    void filesThatWouldBendValues_exit5_namingTheLine_andChangeNothing(String name, String text, int line,
                                                                       String reason) throws IOException {
        run("set", "a", "1");
        Path file = temp.resolve(name);
        Files.writeString(file, text.replace("\\n", "\n"));

        Cli.Result refused = run("import", file.toString(), "--replace");

        assertThat(refused.exit()).as(refused.err()).isEqualTo(5);
        assertThat(refused.err()).startsWith("configstore: " + file + ":" + line + ":")
                .contains(reason == null ? "" : reason);
        assertThat(refused.err().lines()).hasSize(1);
        assertThat(run("revision").out()).isEqualTo("1\n");
        assertThat(run("get", "a").out()).isEqualTo("1\n");
    }

    @Test
    void archives_exportTheWholeStore_andRestoreIntoAnEmptyOne() throws IOException {
        run("set", "a", "1");
        run("profile", "create", "dev", "--extends", "current");
        run("set", "a", "2");
        run("backup", "create", "one");
        Path zip = temp.resolve("store.zip");
        Path tgz = temp.resolve("store.tar.gz");

        assertThat(run("export", zip.toString(), "--with-history").exit()).isZero();
        assertThat(run("export", tgz.toString()).exit()).isZero();
        assertThat(run("export", temp.resolve("x.json").toString(), "--with-history").exit()).isEqualTo(2);

        Cli other = new Cli(temp.resolve("other"));
        Cli.Result dryRun = other.run("import", zip.toString(), "--dry-run");
        assertThat(dryRun.out()).isEqualTo("would restore 2 documents, 3 revisions and 1 restore points\n");
        Cli.Result restored = other.run("import", zip.toString());
        assertThat(restored.out()).isEqualTo("restored 2 documents, 3 revisions and 1 restore points; head revision 3\n");
        assertThat(other.run("get", "a", "--revision", "1").out()).isEqualTo("1\n");
        assertThat(other.run("get", "a", "--profile", "dev").out()).isEqualTo("2\n");

        Cli.Result merged = other.run("import", tgz.toString());
        assertThat(merged.out()).contains("merged 2 documents");
        assertThat(merged.err()).contains("note: merged the documents into a store that already has revisions");
        assertThat(other.run("import", zip.toString(), "--replace").exit()).isEqualTo(2);
    }
}
