package dev.configstore.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the command line in process against one store directory and captures what it prints. */
final class Cli {

    record Result(int exit, String out, String err) {
    }

    private final List<String> globalOptions;

    Cli(Path store, String... globalOptions) {
        this.globalOptions = new ArrayList<>(List.of("--store", store.toString()));
        this.globalOptions.addAll(List.of(globalOptions));
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> full = new ArrayList<>(globalOptions);
        full.addAll(List.of(args));
        int exit = Main.run(full.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Result(exit, out.toString(), err.toString());
    }
}
