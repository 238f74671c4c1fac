package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.Document;
import dev.configstore.ErrorCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "Print a whole document as JSON.")
final class ShowCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "P", description = "the document to print (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--revision", paramLabel = "N", description = "as of this revision")
    Long revision;

    @Override
    public Integer call() {
        try (ConfigStore store = openStore()) {
            Document document = (revision == null ? store.document(profile) : store.document(profile, revision))
                    .orElseThrow(() -> new ConfigStoreException(ErrorCode.NOT_FOUND, "document '" + profile
                            + "' does not exist" + (revision == null ? "" : " at revision " + revision)));
            spec.commandLine().getOut().println(Render.json(document.tree()));
        }
        return Main.OK;
    }
}
