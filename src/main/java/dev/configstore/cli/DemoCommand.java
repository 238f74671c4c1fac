package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.VersionConflictException;
import dev.configstore.backup.RestorePoint;
import dev.configstore.format.ArchiveContent;
import dev.configstore.format.ArchiveKind;
import dev.configstore.format.ArchiveResult;
import dev.configstore.format.ExportOptions;
import dev.configstore.format.Format;
import dev.configstore.format.ImportOptions;
import dev.configstore.format.ImportResult;
import dev.configstore.health.HealthReport;
import dev.configstore.health.StoreStats;
import dev.configstore.history.CompactionResult;
import dev.configstore.history.HistoryEntry;
import dev.configstore.history.KeyChange;
import dev.configstore.history.QueryResult;
import dev.configstore.lock.Lease;
import dev.configstore.lock.LeaseHeldException;
import dev.configstore.profile.ProfileDefinition;
import dev.configstore.profile.ResolvedKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Walk through the features on a throwaway store (or on --store when given).")
final class DemoCommand extends StoreOptions implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path throwaway = null;
        if (main.store == null && main.url == null) {
            throwaway = Files.createTempDirectory("configstore-demo");
            main.store = throwaway.resolve("config").toString();
            out.println("# a throwaway store in " + main.store);
        }
        try (ConfigStore store = openStore()) {
            long start = store.revision();
            out.println("# 1. every write is one revision");
            out.println("set api.port 8080              -> revision " + store.put("api.port", 8080).revision());
            out.println("set vision.camera.device_id 1  -> revision " + store.put("vision.camera.device_id", 1).revision());
            long base = store.batch().set("current", "api.host", "0.0.0.0").set("current", "projector.fullscreen", true)
                    .message("first table set-up").commit().revision();
            out.println("batch of two keys              -> revision " + base);
            out.println("set api.port 8081              -> revision " + store.put("api.port", 8081).revision());
            out.println("get api.port = " + store.find("api.port").orElseThrow());
            out.println("api.port at revision " + (start + 1) + " = " + store.findAt("current", "api.port", start + 1).orElseThrow());

            out.println();
            out.println("# 2. diff between revision " + start + " and the head");
            for (KeyChange change : store.history().diff("current", start, store.revision()).changes()) {
                out.println("  " + change.kind() + " " + change.key() + " " + change.oldValue().map(Object::toString).orElse("-")
                        + " -> " + change.newValue().map(Object::toString).orElse("-"));
            }

            out.println();
            out.println("# 3. history of api.port");
            for (HistoryEntry entry : store.history().ofKey("current", "api.port", 10)) {
                out.println("  revision " + entry.revision().revision() + " by " + entry.revision().actor() + ": "
                        + entry.change().kind() + " " + entry.change().newValue().map(Object::toString).orElse("(removed)"));
            }

            out.println();
            out.println("# 4. a write based on an old revision is refused, not lost");
            try {
                store.batch().set("current", "api.port", 9000).expectRevision(base).commit();
                out.println("  unexpected: the stale write was accepted");
                return Main.FAILURE;
            } catch (VersionConflictException conflict) {
                out.println("  conflict: " + conflict.getMessage());
            }

            out.println();
            out.println("# 5. SQL over the audit trail (read-only user)");
            QueryResult rows = store.history().query("SELECT revision, key_path, change_kind, old_value, new_value"
                    + " FROM config_changes WHERE document = 'current' ORDER BY revision, key_path", 50);
            out.print(Render.table(rows.columns(), rows.rows()));

            out.println();
            String tag = "r" + store.revision();
            String baseProfile = "demo-base-" + tag;
            String tableProfile = "demo-table-3-" + tag;
            out.println("# 6. profiles: " + tableProfile + " extends " + baseProfile + ", resolved by deep merge");
            store.profiles().create(ProfileDefinition.named(baseProfile).describedAs("shared by every table"));
            store.batch().set(baseProfile, "vision.camera.fps", 30).set(baseProfile, "vision.camera.device_id", 0)
                    .commit();
            store.profiles().create(ProfileDefinition.named(tableProfile).extending(baseProfile));
            store.put(tableProfile, "vision.camera.device_id", 3);
            out.println("  resolved: " + Render.compact(store.document(tableProfile).orElseThrow().tree()));
            out.println("  explained:");
            for (ResolvedKey key : store.profiles().explain(tableProfile)) {
                out.println("    " + key.key() + " = " + key.value() + " from " + key.document() + " at revision "
                        + key.revision());
            }

            out.println();
            out.println("# 7. restore points: pin, change, restore (a new revision; history is kept)");
            RestorePoint point = store.backups().create("demo-" + tag, 5, "before the demo's change");
            store.put("api.port", 1);
            out.println("  api.port changed to " + store.find("api.port").orElseThrow() + "; restoring '" + point.name()
                    + "' (revision " + point.revision() + ")");
            long restored = store.backups().restore(point.name()).revision();
            out.println("  api.port = " + store.find("api.port").orElseThrow() + " at revision " + restored);
            store.profiles().delete(tableProfile);
            out.println("  deleted " + tableProfile + "; an automatic restore point keeps it:");
            for (RestorePoint each : store.backups().list()) {
                out.println("    " + each.name() + " (" + (each.automatic() ? "automatic" : "manual") + ", "
                        + each.scope() + ", revision " + each.revision() + ")");
            }

            out.println();
            out.println("# 8. import and export: six formats, and the whole store as an archive");
            Path files = Files.createTempDirectory("configstore-demo-files");
            try {
                Path yaml = files.resolve("current.yaml");
                try (var file = Files.newOutputStream(yaml)) {
                    store.formats().exportDocument("current", Format.YAML, file, ExportOptions.head());
                }
                out.println("  exported current as YAML (" + Files.size(yaml) + " bytes):");
                Files.readAllLines(yaml).forEach(line -> out.println("    " + line));
                try (var file = Files.newInputStream(yaml)) {
                    ImportResult imported = store.formats().importDocument("demo-imported-" + tag, Format.YAML, file,
                            yaml.toString(), ImportOptions.merge());
                    out.println("  imported it into demo-imported-" + tag + " at revision "
                            + imported.write().revision() + " (" + imported.diff().changes().size() + " keys)");
                }
                try (var file = Files.newInputStream(yaml)) {
                    store.formats().importDocument("current", Format.JSON, file, yaml.toString(),
                            ImportOptions.merge().withDryRun(true));
                } catch (ConfigStoreException refused) {
                    out.println("  the same file read as JSON is refused, nothing written: " + refused.getMessage());
                }
                Path archive = files.resolve("store.zip");
                try (var file = Files.newOutputStream(archive)) {
                    store.formats().exportArchive(ArchiveKind.ZIP, file, ArchiveContent.FULL_HISTORY);
                }
                try (ConfigStore copy = ConfigStore.builder().path(files.resolve("copy")).open();
                     var file = Files.newInputStream(archive)) {
                    ArchiveResult copied = copy.formats().importArchive(ArchiveKind.ZIP, file, archive.toString());
                    out.println("  store.zip (" + Files.size(archive) + " bytes) restored into a new store: "
                            + copied.revisions() + " revisions, " + copied.restorePoints() + " restore points,"
                            + " verify " + (copy.health().verify().isClean() ? "clean" : "MISMATCH"));
                }
            } finally {
                deleteTree(files);
            }

            if (throwaway != null) {
                out.println();
                out.println("# 9. compaction keeps the newest 2 revisions and every pinned one");
                CompactionResult compacted = store.history().compactKeepingNewest(2);
                out.println("  " + compacted.revisionsRemoved() + " revisions and " + compacted.rowsRemoved()
                        + " rows removed; pinned revisions kept: " + compacted.pinnedKept());
                out.println("  api.port at pinned revision " + point.revision() + " = "
                        + store.findAt("current", "api.port", point.revision()).orElseThrow());
            }

            out.println();
            out.println("# 10. leases, health and figures");
            try (Lease lease = store.locks().acquire("demo-calibration-" + tag, java.time.Duration.ofSeconds(30))) {
                out.println("  lease " + lease.name() + " held until " + lease.expiresAt() + "; a second acquire: "
                        + refusal(store, lease.name()));
            }
            HealthReport health = store.health().check();
            out.println("  health " + health.level() + ": " + health.findings().stream()
                    .map(finding -> finding.check() + "=" + finding.level()).toList());
            StoreStats stats = store.health().stats();
            out.println("  " + stats.documents() + " documents, " + stats.keys() + " keys, " + stats.revisions()
                    + " revisions, " + stats.restorePoints() + " restore points, " + stats.operations().size()
                    + " kinds of operation logged");

            out.println();
            out.println("# 11. live: a watch on vision.camera and a live value get the next change pushed");
            java.util.concurrent.BlockingQueue<String> pushed = new java.util.concurrent.LinkedBlockingQueue<>();
            try (dev.configstore.watch.Watch watch = store.watch(dev.configstore.watch.WatchRequest.key("vision.camera"),
                    event -> event.changes().forEach(change -> pushed.add("revision " + event.revision() + ": "
                            + change.kind() + " " + change.key() + " -> " + change.newValue().map(Object::toString)
                            .orElse("(removed)"))));
                 dev.configstore.watch.LiveValue<Integer> deviceId = store.bind("vision.camera.device_id", Integer.class)) {
                store.put("vision.camera.device_id", 2);
                String line = pushed.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                out.println("  watch: " + (line == null ? "nothing within 10 s" : line));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (deviceId.get() != 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                out.println("  live value vision.camera.device_id = " + deviceId.get() + " (revision " + deviceId.revision()
                        + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }

            out.println();
            out.println("# 12. integrity: " + (store.health().verify().isClean() ? "every checksum matches" : "MISMATCH"));
            out.println("# head revision " + store.revision());
        } finally {
            if (throwaway != null) {
                deleteTree(throwaway);
            }
        }
        return Main.OK;
    }

    private static String refusal(ConfigStore store, String name) {
        try {
            store.locks().acquire(name, java.time.Duration.ofSeconds(1)).close();
            return "unexpectedly granted";
        } catch (LeaseHeldException held) {
            return "refused (" + held.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
