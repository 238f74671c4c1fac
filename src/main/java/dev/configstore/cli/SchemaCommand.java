package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.format.Format;
import dev.configstore.schema.SchemaSetResult;
import dev.configstore.schema.SchemaViolation;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "schema", description = "The JSON Schema of a document, checked on every write that changes it.",
        subcommands = {SchemaCommand.Set.class, SchemaCommand.Show.class, SchemaCommand.Remove.class})
final class SchemaCommand {

    @ParentCommand
    Main main;

    abstract static class Sub extends SubcommandOptions {
        @ParentCommand
        SchemaCommand schema;

        @Option(names = "--profile", paramLabel = "P", description = "the document (default current)")
        String profile = ConfigStore.MAIN_DOCUMENT;

        @Override
        Main main() {
            return schema.main;
        }
    }

    @Command(name = "set", description = "Set the document's schema from FILE (JSON or YAML; '-' for stdin) in a new"
            + " revision. Refused (exit 5, one line per violation) if the document does not match it, unless --force.")
    static final class Set extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Option(names = "--force", description = "set it although the document does not match; the violations are"
                + " printed")
        boolean force;

        @Override
        public Integer call() throws IOException {
            try (ConfigStore store = openStore()) {
                SchemaSetResult result = store.schemas().set(profile, read(store, file), force);
                for (SchemaViolation violation : result.violations()) {
                    spec.commandLine().getErr().println("warning: '" + profile + "' " + violation.describe());
                }
                report(result.write(), "schema of '" + profile + "' set");
            }
            return Main.OK;
        }
    }

    @Command(name = "show", description = "Print the document's schema as JSON (exit 3 if it has none).")
    static final class Show extends Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                out().println(Render.json(store.schemas().get(profile).orElseThrow(() -> new ConfigStoreException(
                        ErrorCode.NOT_FOUND, "document '" + profile + "' has no schema"))));
            }
            return Main.OK;
        }
    }

    @Command(name = "remove", description = "Remove the document's schema in a new revision.")
    static final class Remove extends Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                report(store.schemas().remove(profile), "schema of '" + profile + "' removed");
            }
            return Main.OK;
        }
    }

    /** A document or schema file in the format its extension names (JSON when it names none). */
    static ObjectNode read(ConfigStore store, String file) throws IOException {
        Format format = Format.fromFileName(file).orElse(Format.JSON);
        try (InputStream in = ImportCommand.open(file)) {
            return store.formats().read(format, in, file.equals("-") ? "stdin" : file);
        }
    }
}
