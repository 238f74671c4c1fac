package dev.configstore.cli;

import dev.configstore.ConfigStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "secret", description = "Secrets: key patterns whose values are encrypted, and key rotation.",
        subcommands = {SecretCommand.Add.class, SecretCommand.ListPatterns.class, SecretCommand.Rotate.class,
            SecretCommand.Retire.class, SecretCommand.SignHistory.class})
final class SecretCommand {

    @ParentCommand
    Main main;

    abstract static class Sub extends SubcommandOptions {
        @ParentCommand
        SecretCommand secret;

        @Override
        Main main() {
            return secret.main;
        }
    }

    @Command(name = "add", description = "Declare a key pattern secret ('*' one segment, '**' any number): values at"
            + " matching keys are encrypted, the ones there now in the same revision.")
    static final class Add extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PATTERN")
        String pattern;

        @Option(names = "--profile", paramLabel = "P", description = "the document (default current)")
        String profile = ConfigStore.MAIN_DOCUMENT;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                report(store.secrets().addPattern(profile, pattern), "'" + pattern + "' is secret in '" + profile + "'");
            }
            return Main.OK;
        }
    }

    @Command(name = "list", description = "Print the document's secret patterns, one per line.")
    static final class ListPatterns extends Sub implements Callable<Integer> {
        @Option(names = "--profile", paramLabel = "P", description = "the document (default current)")
        String profile = ConfigStore.MAIN_DOCUMENT;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                store.secrets().patterns(profile).forEach(out()::println);
            }
            return Main.OK;
        }
    }

    @Command(name = "rotate", description = "Add a new key to the keyring file, make it the active one and encrypt"
            + " every secret value again under it, in one revision. With a key provider: encrypt again under its"
            + " active key.")
    static final class Rotate extends Sub implements Callable<Integer> {
        @Option(names = "--no-new-key", description = "encrypt again under the keyring's active key, adding none")
        boolean noNewKey;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                String key = noNewKey ? null : store.secrets().addKey();
                report(store.secrets().rotate(), "secrets encrypted again" + (key == null ? "" : " under new key '"
                        + key + "'"));
            }
            return Main.OK;
        }
    }

    @Command(name = "retire", description = "Remove a key from the keyring file once no stored value, at any"
            + " revision, is encrypted under it (exit 4 naming how many still are).")
    static final class Retire extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                store.secrets().retireKey(keyId);
                out().println("key '" + keyId + "' retired");
            }
            return Main.OK;
        }
    }

    @Command(name = "sign-history", description = "Check the history's hash chain and give every revision without an"
            + " HMAC one under the keyring's chain key (revisions written without the keyring).")
    static final class SignHistory extends Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                out().println("signed " + store.secrets().signHistory() + " revisions");
            }
            return Main.OK;
        }
    }
}
