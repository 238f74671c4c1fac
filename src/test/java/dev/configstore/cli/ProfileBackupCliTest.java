package dev.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile, backup and compact commands, run in process with their output captured. */
class ProfileBackupCliTest {

    @TempDir
    Path temp;

    Cli.Result run(String... args) {
        return new Cli(temp.resolve("config"), "--actor", "operator").run(args);
    }

    @Test
    void profiles_createExtendShowExplainApply() {
        assertThat(run("profile", "create", "base", "--description", "defaults", "--tag", "lab").exit()).isZero();
        run("set", "camera.fps", "30", "--profile", "base");
        run("set", "camera.id", "0", "--profile", "base");
        Cli.Result created = run("profile", "create", "table-3", "--extends", "base");
        assertThat(created.out()).isEqualTo("created profile 'table-3' (revision 4)\n");
        run("set", "camera.id", "3", "--profile", "table-3");

        assertThat(run("get", "camera.fps", "--profile", "table-3").out()).isEqualTo("30\n");
        assertThat(run("show", "--profile", "table-3", "--raw").out()).doesNotContain("fps");
        assertThat(run("profile", "show", "table-3").out()).contains("\"fps\" : 30").contains("\"id\" : 3");
        assertThat(run("profile", "show", "table-3", "--explain").out())
                .containsPattern("camera\\.fps\\s+30\\s+base\\s+2")
                .containsPattern("camera\\.id\\s+3\\s+table-3\\s+5");
        assertThat(run("profile", "list").out()).containsPattern("table-3\\s+base\\s+1\\s+5");

        assertThat(run("profile", "apply", "table-3").out()).contains("applied 'table-3' onto current");
        assertThat(run("get", "camera.id").out()).isEqualTo("3\n");
        Cli.Result replaced = run("profile", "apply", "base", "--replace");
        assertThat(replaced.out()).contains("restore point 'auto-6-apply-replace' keeps the state before");
        assertThat(run("get", "camera.id").out()).isEqualTo("0\n");
    }

    @Test
    void current_isDescribedAndReparentedLikeAnyOtherDocument() {
        run("set", "a", "1");
        run("profile", "create", "base");

        Cli.Result described = run("profile", "describe", "current", "--description", "the table in use", "--tag", "live");
        assertThat(described.exit()).as(described.err()).isZero();
        assertThat(run("profile", "set-parent", "current", "base").exit()).isZero();
        Cli.Result again = run("profile", "describe", "current", "--tag", "tournament");
        assertThat(again.exit()).as(again.err()).isZero();
        try (dev.configstore.ConfigStore store = dev.configstore.ConfigStore.builder().path(temp.resolve("config")).open()) {
            dev.configstore.profile.Profile current = store.profiles().find("current").orElseThrow();
            assertThat(current.description()).isEqualTo("the table in use");
            assertThat(current.tags()).containsExactly("tournament");
            assertThat(current.parent()).contains("base");
        }
        assertThat(run("profile", "describe", "nope", "--tag", "x").exit()).isEqualTo(3);
    }

    @Test
    void profiles_badInput_exitCodesAndOneLineErrors() {
        run("profile", "create", "a");
        run("profile", "create", "b", "--extends", "a");
        run("profile", "create", "c", "--extends", "b");
        String revision = run("revision").out();

        Cli.Result cycle = run("profile", "set-parent", "a", "c");
        assertThat(cycle.exit()).isEqualTo(5);
        assertThat(cycle.err()).isEqualTo("configstore: 'a' cannot extend 'c': that makes an inheritance cycle"
                + " a -> c -> b -> a\n");
        assertThat(run("profile", "create", "a").exit()).isEqualTo(5);
        assertThat(run("profile", "create", "x/y").err()).contains("it contains a path separator");
        assertThat(run("profile", "create", "d", "--extends", "nope").exit()).isEqualTo(3);
        assertThat(run("profile", "rename", "b", "c").exit()).isEqualTo(5);
        assertThat(run("profile", "delete", "current").exit()).isEqualTo(5);
        assertThat(run("profile", "delete", "a").err()).contains("cannot delete 'a': 'b' extends it");
        assertThat(run("profile", "show", "a", "--explain", "--raw").exit()).isEqualTo(2);
        assertThat(run("revision").out()).isEqualTo(revision);
    }

    @Test
    void backups_createListRestoreDryRunDeleteCleanup() {
        run("set", "a", "1");
        assertThat(run("backup", "create").out()).isEqualTo("restore point 'r1' pins revision 1 of the whole store\n");
        assertThat(run("backup", "create").out()).contains("'r1-2'");
        assertThat(run("backup", "create", "keep-me", "--priority", "9", "-m", "good state").exit()).isZero();
        run("set", "a", "2");

        Cli.Result dryRun = run("backup", "restore", "r1", "--dry-run");
        assertThat(dryRun.out()).isEqualTo("~ current:a: 2 -> 1\n");
        assertThat(run("get", "a").out()).isEqualTo("2\n");

        Cli.Result restored = run("backup", "restore", "r1");
        assertThat(restored.out()).contains("restored 'r1' (revision 3)")
                .contains("restore point 'auto-2-restore' keeps the state before (revision 2)");
        assertThat(run("get", "a").out()).isEqualTo("1\n");
        assertThat(run("backup", "list").out()).contains("keep-me").contains("good state").contains("automatic");

        Cli.Result cleanup = run("backup", "cleanup", "--keep", "1", "--policy", "priority", "--dry-run");
        assertThat(cleanup.out()).startsWith("would delete 2 restore points\n").contains("r1").contains("r1-2");
        assertThat(run("backup", "cleanup", "--keep", "1", "--policy", "priority").out())
                .startsWith("deleted 2 restore points");
        assertThat(run("backup", "delete", "keep-me").exit()).isZero();
        assertThat(run("backup", "list").out()).doesNotContain("keep-me").contains("auto-2-restore");
    }

    @Test
    void backups_badInput() {
        run("set", "a", "1");
        run("backup", "create", "one");

        Cli.Result unknown = run("backup", "restore", "nope");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).isEqualTo("configstore: there is no restore point named 'nope'\n");
        assertThat(run("backup", "create", "one").exit()).isEqualTo(5);
        assertThat(run("backup", "cleanup", "--keep", "-1").exit()).isEqualTo(5);
        assertThat(run("backup", "cleanup", "--keep", "1", "--policy", "newest").exit()).isEqualTo(2);
        assertThat(run("backup", "create", "--profile", "nope").exit()).isEqualTo(3);
        assertThat(run("backup", "list").out()).contains("one");
        assertThat(run("revision").out()).isEqualTo("1\n");
    }

    @Test
    void compact_keepRevisions_before_andCompactedRevisionIsNotFound() {
        for (int i = 1; i <= 12; i++) {
            run("set", "n", String.valueOf(i));
        }
        run("backup", "create", "old", "--profile", "current");

        Cli.Result compacted = run("compact", "--keep-revisions", "3");
        assertThat(compacted.exit()).isZero();
        assertThat(compacted.out()).startsWith("compacted below revision 10: 9 revisions and ")
                .contains("bytes reclaimed: ");

        Cli.Result gone = run("get", "n", "--revision", "4");
        assertThat(gone.exit()).isEqualTo(3);
        assertThat(gone.err()).contains("revision 4 was compacted");
        assertThat(run("get", "n", "--revision", "10").out()).isEqualTo("10\n");

        assertThat(run("compact", "--keep-revisions", "0").exit()).isEqualTo(5);
        assertThat(run("compact", "--keep-revisions", "-2").exit()).isEqualTo(5);
        assertThat(run("compact").exit()).isEqualTo(2);
        assertThat(run("compact", "--keep-revisions", "3", "--before", "2026-01-01").exit()).isEqualTo(2);
        Cli.Result badDate = run("compact", "--before", "yesterday");
        assertThat(badDate.exit()).isEqualTo(5);
        assertThat(badDate.err()).contains("--before 'yesterday' is not a time; accepted forms: 2026-11-22");
        assertThat(run("compact", "--before", "2000-01-01").out()).startsWith("nothing to compact");
    }
}
