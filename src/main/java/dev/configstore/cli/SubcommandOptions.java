package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.WriteResult;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The base of a command inside a group ({@code profile create}, {@code backup list}, ...). */
abstract class SubcommandOptions {

    @Spec
    CommandSpec spec;

    /** The top-level command that holds the global options. */
    abstract Main main();

    ConfigStore openStore() {
        return StoreOptions.open(main());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints the outcome of a write: what was done and its revision, or that nothing changed. */
    void report(WriteResult result, String what) {
        out().println(result.changed() ? what + " (revision " + result.revision() + ")"
                : "unchanged at revision " + result.revision());
    }
}
