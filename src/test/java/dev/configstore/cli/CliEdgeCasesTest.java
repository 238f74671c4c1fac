package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small things a careful user trips over: each pinned by the behaviour it should have. */
class CliEdgeCasesTest {

    @TempDir
    Path temp;

    Cli cli() {
        return new Cli(temp.resolve("config"));
    }

    @Test
    void exportOfANegativeRevision_isNotFound_likeGetAndShow() {
        cli().run("set", "a", "1");

        Cli.Result export = cli().run("export", "-", "--revision", "-1");

        assertThat(export.exit()).isEqualTo(3);
        assertThat(export.err()).contains("revision -1 does not exist");
        assertThat(cli().run("get", "a", "--revision", "-1").exit()).isEqualTo(3);
    }

    @Test
    void expectedRevisionBeyondTheHead_isRefused_andNothingIsWritten() {
        cli().run("set", "a", "1");

        Cli.Result set = cli().run("set", "a", "2", "--expect-revision", "99");

        assertThat(set.exit()).isEqualTo(4);
        assertThat(set.err()).contains("beyond the head revision 1");
        assertThat(cli().run("get", "a").out()).isEqualTo("1\n");
    }

    @Test
    void emptyImportFile_isRefusedNamingTheFile_unlessAllowed() throws IOException {
        cli().run("set", "a", "1");
        Path empty = temp.resolve("empty.json");
        Files.writeString(empty, "\n  \n");

        Cli.Result replace = cli().run("import", empty.toString(), "--replace");
        Cli.Result merge = cli().run("import", empty.toString());

        assertThat(replace.exit()).isEqualTo(5);
        assertThat(replace.err()).contains(empty.toString()).contains("empty").hasLineCount(1);
        assertThat(merge.exit()).isEqualTo(5);
        assertThat(cli().run("get", "a").out()).isEqualTo("1\n");
        assertThat(cli().run("import", empty.toString(), "--replace", "--allow-empty").exit()).isZero();
        assertThat(cli().run("get", "a").exit()).isEqualTo(3);
    }

    @Test
    void compact_leavesEveryFileOwnerOnly_andNoTraceFile() throws IOException {
        for (int i = 0; i < 20; i++) {
            cli().run("set", "a", String.valueOf(i));
        }

        assertThat(cli().run("compact", "--keep-revisions", "2").exit()).isZero();

        try (Stream<Path> files = Files.list(temp.resolve("config"))) {
            for (Path file : files.toList()) {
                assertThat(file.getFileName().toString()).doesNotEndWith(".trace.db");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    void sqlLimitOutOfRange_isAUsageError_notAnOverflow() {
        cli().run("set", "a", "1");

        Cli.Result result = cli().run("sql", "SELECT 1", "--limit", "2147483647");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--limit must be 1..1000000").hasLineCount(1);
    }

    @Test
    void hugeOrDeeplyNestedSql_failsWithOneLine_exit5() {
        cli().run("set", "a", "1");
        for (String query : new String[] {"SELECT " + "(".repeat(20_000) + "1" + ")".repeat(20_000),
                "SELECT 1" + "+1".repeat(10_000), "SELECT 1" + " OR 1=1".repeat(3_000)}) {
            Cli.Result result = cli().run("sql", query);
            if (result.exit() != 0) {
                assertThat(result.exit()).isEqualTo(5);
                assertThat(result.err()).hasLineCount(1).doesNotContain("StackOverflowError");
            }
        }
    }

    @Test
    void plainJavaJar_withoutTheBindAddressProperty_works() throws Exception {
        // what `java -jar configstore-cli.jar` does: Main.main without -Dh2.bindAddress
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--store", temp.resolve("config").toString(), "set", "a", "1"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(cli().run("get", "a").out()).isEqualTo("1\n");
    }
}
