package dev.configstore.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = "Print a bash/zsh completion script for configstore (the build also"
        + " writes it to target/configstore_completion); load it with: source <(configstore completion)")
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        spec.commandLine().getOut().print(AutoComplete.bash("configstore", root));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
