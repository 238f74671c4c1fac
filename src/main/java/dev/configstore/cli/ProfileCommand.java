package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.WriteResult;
import dev.configstore.backup.RestorePoint;
import dev.configstore.profile.ApplyMode;
import dev.configstore.profile.Profile;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.profile.ResolvedKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "profile", description = "Profiles: documents that may extend a parent.",
        subcommands = {ProfileCommand.Create.class, ProfileCommand.ListProfiles.class, ProfileCommand.Show.class,
                ProfileCommand.SetParent.class, ProfileCommand.Describe.class, ProfileCommand.Rename.class,
                ProfileCommand.Delete.class, ProfileCommand.Apply.class})
final class ProfileCommand {

    @ParentCommand
    Main main;

    /** The base of every profile subcommand: the store options live two levels up. */
    abstract static class Sub extends SubcommandOptions {
        @ParentCommand
        ProfileCommand profile;

        @Override
        Main main() {
            return profile.main;
        }
    }

    @Command(name = "create", description = "Create an empty profile.")
    static final class Create extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--extends", paramLabel = "PARENT", description = "the profile it extends")
        String parent;

        @Option(names = "--description", paramLabel = "TEXT")
        String description = "";

        @Option(names = "--tag", paramLabel = "TAG", description = "a tag (repeatable)")
        List<String> tags = new ArrayList<>();

        @Override
        public Integer call() {
            ProfileDefinition definition = ProfileDefinition.named(name).describedAs(description).taggedWith(tags);
            if (parent != null) {
                definition = definition.extending(parent);
            }
            try (ConfigStore store = openStore()) {
                report(store.profiles().create(definition), "created profile '" + name + "'");
            }
            return Main.OK;
        }
    }

    @Command(name = "list", description = "List the profiles with parent, key count and last revision.")
    static final class ListProfiles extends Sub implements Callable<Integer> {
        @Option(names = "--format", paramLabel = "F", description = "table (default), json or csv")
        Rows.Format format = Rows.Format.table;

        @Override
        public Integer call() {
            Rows rows;
            try (ConfigStore store = openStore()) {
                rows = list(store, format == Rows.Format.json);
            }
            rows.print(out(), format);
            return Main.OK;
        }
    }

    @Command(name = "show", description = "Print a profile, resolved (default), raw, or explained key by key.")
    static final class Show extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--raw", description = "only the profile's own keys")
        boolean raw;

        @Option(names = "--explain", description = "for every resolved key, the document that supplied it and the revision")
        boolean explain;

        @Option(names = "--revision", paramLabel = "N", description = "as of this revision")
        Long revision;

        @Option(names = "--format", paramLabel = "F", description = "as show: json (default), yaml, toml, ini, xml,"
                + " properties; with --explain: table, json or csv")
        String format;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                ShowCommand.print(store, name, revision, raw, explain, format, spec);
            }
            return Main.OK;
        }
    }

    @Command(name = "set-parent", description = "Make NAME extend PARENT, or nothing when PARENT is left out.")
    static final class SetParent extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "PARENT", arity = "0..1")
        String parent;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                WriteResult result = parent == null ? store.profiles().clearParent(name)
                        : store.profiles().setParent(name, parent);
                report(result, parent == null ? "'" + name + "' extends nothing" : "'" + name + "' extends '" + parent + "'");
            }
            return Main.OK;
        }
    }

    @Command(name = "describe", description = "Set a profile's description and/or tags; what is not given stays.")
    static final class Describe extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--description", paramLabel = "TEXT", description = "the new description ('' clears it)")
        String description;

        @Option(names = "--tag", paramLabel = "TAG", description = "a tag (repeatable); replaces all tags")
        List<String> tags;

        @Option(names = "--no-tags", description = "remove every tag")
        boolean noTags;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                Profile current = store.profiles().find(name).orElseThrow(() -> new dev.configstore.ConfigStoreException(
                        dev.configstore.ErrorCode.NOT_FOUND, "profile '" + name + "' does not exist"));
                List<String> newTags = noTags ? List.of() : tags != null ? tags : current.tags();
                report(store.profiles().describe(name, description != null ? description : current.description(),
                        newTags), "described '" + name + "'");
            }
            return Main.OK;
        }
    }

    @Command(name = "rename", description = "Rename a profile; profiles that extended it follow.")
    static final class Rename extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OLD")
        String from;

        @Parameters(index = "1", paramLabel = "NEW")
        String to;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                report(store.profiles().rename(from, to), "renamed '" + from + "' to '" + to + "'");
            }
            return Main.OK;
        }
    }

    @Command(name = "delete", description = "Delete a profile (an automatic restore point keeps it).")
    static final class Delete extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                WriteResult result = store.profiles().delete(name);
                report(result, "deleted profile '" + name + "'");
                reportAutomaticPoint(store, result, out());
            }
            return Main.OK;
        }
    }

    @Command(name = "apply", description = "Apply a resolved profile onto current: merge (default) or replace.")
    static final class Apply extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--replace", description = "replace current instead of merging (an automatic restore point keeps it)")
        boolean replace;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                WriteResult result = store.profiles().apply(name, replace ? ApplyMode.REPLACE : ApplyMode.MERGE);
                report(result, "applied '" + name + "' onto " + ConfigStore.MAIN_DOCUMENT);
                if (replace) {
                    reportAutomaticPoint(store, result, out());
                }
            }
            return Main.OK;
        }
    }

    /** Every resolved key of a document with the document that supplied it and the revision it was written at. */
    /** The profiles as rows; tags as a JSON array for JSON, else joined by commas (the console's too). */
    static Rows list(ConfigStore store, boolean json) {
        Rows rows = Rows.of("name", "extends", "keys", "last_revision", "tags", "description");
        for (Profile profile : store.profiles().list()) {
            Object tags = json ? Rows.json(profile.tags()) : String.join(",", profile.tags());
            rows = rows.add(profile.name(), profile.parent(), profile.keyCount(), profile.lastChanged(), tags,
                    profile.description());
        }
        return rows;
    }

    static Rows explain(ConfigStore store, String name) {
        Rows rows = Rows.of("key", "value", "from", "revision");
        for (ResolvedKey key : store.profiles().explain(name)) {
            rows = rows.add(key.key().toString(), key.value(), key.document(), key.revision());
        }
        return rows;
    }

    /** Names the restore point the store made before a destructive write, if it made one. */
    static void reportAutomaticPoint(ConfigStore store, WriteResult result, PrintWriter out) {
        if (!result.changed()) {
            return;
        }
        for (RestorePoint point : store.backups().list()) {
            if (point.automatic() && point.revision() == result.revision() - 1) {
                out.println("restore point '" + point.name() + "' keeps the state before (revision "
                        + point.revision() + ")");
            }
        }
    }
}
