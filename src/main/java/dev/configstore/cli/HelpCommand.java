package dev.configstore.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND [SUBCOMMAND]]}: the usage of any command, nested ones too
 * ({@code help profile create}); picocli's own help command stops at the first level.
 */
@Command(name = "help", helpCommand = true, description = "Show the usage of a command: help [COMMAND [SUBCOMMAND]].")
final class HelpCommand implements Runnable, CommandLine.IHelpCommandInitializable2 {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command, and its subcommand if it has them")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter outWriter,
                     PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(self, "unknown command '" + String.join(" ", path)
                        + "'; 'help' lists the commands");
            }
            target = next;
        }
        target.usage(out, colors);
    }
}
