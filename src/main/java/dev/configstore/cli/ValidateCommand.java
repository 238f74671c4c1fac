package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.configstore.ConfigStore;
import dev.configstore.schema.SchemaViolation;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check the stored document, or FILE as the document's content, against the"
        + " document's schema, writing nothing. Exit 5 with one line per violation if it does not match.")
final class ValidateCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "a document file (format from its"
            + " extension); without it the stored document is checked")
    String file;

    @Option(names = "--profile", paramLabel = "P", description = "the document whose schema applies (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--format", paramLabel = "F", description = "text (default) or json: the violations as an array")
    String format = "text";

    @Override
    public Integer call() throws IOException {
        boolean json = switch (format) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("--format is text or json, was '" + format + "'");
        };
        PrintWriter out = spec.commandLine().getOut();
        try (ConfigStore store = openStore()) {
            boolean hasSchema = store.schemas().get(profile).isPresent();
            List<SchemaViolation> violations = file == null ? store.schemas().validate(profile)
                    : store.schemas().validate(profile, SchemaCommand.read(store, file));
            if (json) {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                violations.forEach(violation -> {
                    var row = array.addObject().put("document", violation.document()).put("key", violation.key())
                            .put("message", violation.message());
                    violation.found().ifPresent(found -> row.set("found", found));
                });
                out.println(Render.json(array));
            } else if (!hasSchema) {
                spec.commandLine().getErr().println("document '" + profile + "' has no schema: nothing to check");
            } else {
                violations.forEach(violation -> out.println(violation.describe()));
                if (violations.isEmpty()) {
                    out.println((file == null ? "'" + profile + "'" : file) + " matches the schema of '" + profile + "'");
                }
            }
            return violations.isEmpty() ? Main.OK : Main.exitCode(dev.configstore.ErrorCode.INVALID_INPUT);
        }
    }
}
