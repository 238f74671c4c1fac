package dev.configstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.configstore.ConfigStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "set", description = "Set a key. VALUE is JSON when the whole text is one JSON value (numbers kept"
        + " exactly), else it is stored as the string typed; text that starts like a JSON object, array or string but"
        + " is not one JSON value is refused (use --string).")
final class SetCommand extends StoreOptions implements Callable<Integer> {

    /** Depth at which parsing stops; the store applies the exact limit (key segments plus levels). */
    private static final int PARSE_DEPTH = 65;

    /** Exact numbers, duplicate keys and trailing text refused (the console's request bodies too). */
    static final JsonMapper PARSER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static {
        PARSER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(PARSE_DEPTH).build());
    }

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

    @Option(names = "--secret", description = "store VALUE encrypted (AES-256-GCM, key from the keyring, made on first"
            + " use); it reads as <secret> everywhere until revealed with get --reveal")
    boolean secret;

    @Mixin
    WriteOptions write;

    @Override
    public Integer call() {
        JsonNode node = string ? TextNode.valueOf(value) : parse(value);
        try (ConfigStore store = openStore()) {
            write.commit(secret ? store.batch().setSecret(profile, key, node) : store.batch().set(profile, key, node),
                    spec.commandLine().getOut());
        }
        return Main.OK;
    }

    /**
     * What VALUE means: the JSON value when the whole text is exactly one JSON value, else the
     * text itself as a string ({@code true love}, {@code 1 2 3}, the empty string). Text that
     * starts like a JSON object, array or string but is not one JSON value is refused: it is
     * far more likely a mistyped value than a string meant to look like one.
     */
    static JsonNode parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return TextNode.valueOf(text);
        }
        try {
            JsonNode node = PARSER.readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (StreamConstraintsException tooDeep) {
            throw new InvalidInput("VALUE nests deeper than 64 levels (key segments plus arrays and objects)");
        } catch (JsonProcessingException notJson) {
            char first = trimmed.charAt(0);
            if (first == '{' || first == '[' || first == '"') {
                throw new InvalidInput("VALUE starts like JSON but is not one JSON value ("
                        + notJson.getOriginalMessage().replace('\n', ' ') + "); correct it, or pass --string to store"
                        + " the text as it is");
            }
            return TextNode.valueOf(text);
        }
    }
}
