package dev.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.configstore.ConfigStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "set", description = "Set a key. VALUE is parsed as JSON when it is valid JSON, else taken as a string.")
final class SetCommand extends StoreOptions implements Callable<Integer> {

    private static final JsonMapper PARSER = JsonMapper.builder().build();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Option(names = "--profile", paramLabel = "P", description = "the document to change (default current)")
    String profile = ConfigStore.MAIN_DOCUMENT;

    @Option(names = "--string", description = "take VALUE as a string even if it is valid JSON")
    boolean string;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        JsonNode node = string ? TextNode.valueOf(value) : parse(value);
        try (ConfigStore store = openStore()) {
            write.commit(store.batch().set(profile, key, node), spec.commandLine().getOut());
        }
        return Main.OK;
    }

    static JsonNode parse(String text) {
        try {
            return PARSER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            return TextNode.valueOf(text);
        }
    }
}
