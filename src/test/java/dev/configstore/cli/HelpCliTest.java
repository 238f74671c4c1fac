package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command and subcommand answers -h, --help and help COMMAND with its usage and exit 0, without a store. */
class HelpCliTest {

    @TempDir
    Path temp;

    /** The command paths of the CLI: {@code get}, {@code profile list}, ... */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(Main.commandLine(new Main(), null), new ArrayList<>(), paths);
        return paths;
    }

    private static void walk(CommandLine line, List<String> path, List<List<String>> paths) {
        for (Map.Entry<String, CommandLine> subcommand : line.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(subcommand.getKey());
            paths.add(next);
            walk(subcommand.getValue(), next, paths);
        }
    }

    @Test
    void theSubcommandTable_namesEachCommandAsItsOwnAnnotationDoes() {
        Main.SUBCOMMANDS.forEach((name, command) -> assertThat(command.getAnnotation(CommandLine.Command.class).name())
                .as(command.getSimpleName()).isEqualTo(name));
    }

    @Test
    void aCommandLineThatNamesOneCommand_buildsOnlyIt_andAnythingElseBuildsAll() {
        assertThat(Main.namedCommand(new String[] {"--store", "dir", "get", "a"})).isEqualTo("get");
        assertThat(Main.namedCommand(new String[] {"--url=jdbc:h2:mem:x", "--verbose", "set", "a", "1"})).isEqualTo("set");
        assertThat(Main.namedCommand(new String[] {"--log-level", "info", "profile", "list"})).isEqualTo("profile");
        assertThat(Main.namedCommand(new String[] {"get", "--help"})).isEqualTo("get");
        assertThat(Main.namedCommand(new String[] {"help", "get"})).isNull();
        assertThat(Main.namedCommand(new String[] {"completion"})).isNull();
        assertThat(Main.namedCommand(new String[] {"--help"})).isNull();
        assertThat(Main.namedCommand(new String[] {"--version"})).isNull();
        assertThat(Main.namedCommand(new String[] {"--bogus", "get", "a"})).isNull();
        assertThat(Main.namedCommand(new String[] {"gte", "a"})).isNull();
        assertThat(Main.namedCommand(new String[] {"--store"})).isNull();
        assertThat(Main.namedCommand(new String[0])).isNull();
        assertThat(Main.commandLine(new Main(), "get").getSubcommands()).containsOnlyKeys("get");
        assertThat(Main.commandLine(new Main(), null).getSubcommands()).containsOnlyKeys(Main.SUBCOMMANDS.keySet());
    }

    /** What picocli says to a mistyped command: it needs every command to suggest the right one. */
    @Test
    void anUnknownCommand_isAnsweredFromTheWholeTable() {
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"--store", temp.resolve("x").toString(), "gte", "a"},
                new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("gte").contains("Did you mean: configstore ");
    }

    @Test
    void everyCommandAndSubcommand_answersHelp_withItsUsage_andExitZero() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).hasSizeGreaterThan(35).contains(List.of("get"), List.of("profile", "list"),
                List.of("backup", "restore"), List.of("lock", "acquire"), List.of("watch"));
        Path nowhere = temp.resolve("never-created");
        for (List<String> path : paths) {
            for (String flag : new String[] {"--help", "-h"}) {
                List<String> args = new ArrayList<>(List.of("--store", nowhere.toString()));
                args.addAll(path);
                args.add(flag);
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int exit = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), Map.of());
                assertThat(exit).as("%s %s: %s", path, flag, err).isZero();
                assertThat(out.toString()).as("%s %s", path, flag)
                        .startsWith("Usage: configstore " + String.join(" ", path));
                assertThat(err.toString()).as("%s %s", path, flag).isEmpty();
            }
            if (!path.get(0).equals("help")) {
                List<String> args = new ArrayList<>(List.of("help"));
                args.addAll(path);
                StringWriter out = new StringWriter();
                int exit = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(new StringWriter()),
                        Map.of());
                assertThat(exit).as("help %s", path).isZero();
                assertThat(out.toString()).as("help %s", path).startsWith("Usage: configstore " + String.join(" ", path));
            }
        }
        assertThat(nowhere).doesNotExist();
        StringWriter err = new StringWriter();
        int unknown = Main.run(new String[] {"help", "profile", "nope"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err), Map.of());
        assertThat(unknown).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'profile nope'");
    }

    @Test
    void theCompletionScript_coversEveryCommandAndSubcommand() {
        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"completion"}, new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of());
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("complete -F").contains("_picocli_configstore")
                .contains("watch").contains("set-parent").contains("--from-revision").contains("--log-level");
    }

    @Test
    void theVersion_saysWhereItComesFrom() {
        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"--version"}, new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of());
        assertThat(exit).isZero();
        // in process the classes come from target/classes, which has no manifest; the jar gets Implementation-Version
        assertThat(out.toString()).startsWith("configstore ");
    }
}
