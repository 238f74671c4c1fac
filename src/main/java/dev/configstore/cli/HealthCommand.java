package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.health.HealthFinding;
import dev.configstore.health.HealthLevel;
import dev.configstore.health.HealthReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "health", description = "Check the store: exit 0 for OK or WARN, 6 for CRITICAL.")
final class HealthCommand extends StoreOptions implements Callable<Integer> {

    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "F", description = "table or json (default table)")
    Format format = Format.table;

    @Override
    public Integer call() {
        HealthReport report;
        String missing = missingDirectory();
        if (missing != null) {
            // opening would create an empty store there: report instead
            report = critical("reachable", "no store at " + missing + ": the directory does not exist",
                    "check --store, or restore the directory from a backup or an archive");
        } else {
            try (ConfigStore store = openStore()) {
                report = store.health().check();
            } catch (ConfigStoreException e) {
                report = e.code() == dev.configstore.ErrorCode.STORE_DAMAGED
                        ? critical("integrity", e.getMessage(), "restore the store from an archive or a copy of its"
                                + " directory; the damaged files were left as they were")
                        : critical("reachable", "cannot open the store: " + e.getMessage(),
                                "check that the database is running and the store's URL or directory is right");
            }
        }
        print(report, spec.commandLine().getOut());
        return report.level() == HealthLevel.CRITICAL ? Main.INTEGRITY : Main.OK;
    }

    private String missingDirectory() {
        boolean byUrl = main.url != null || (main.store == null && main.environment.get("CONFIGSTORE_URL") != null
                && !main.environment.get("CONFIGSTORE_URL").isBlank());
        if (byUrl) {
            return null;
        }
        Path directory = Path.of(main.store != null ? main.store : "config");
        return Files.isDirectory(directory) ? null : directory.toString();
    }

    private static HealthReport critical(String check, String message, String recommendation) {
        return new HealthReport(HealthLevel.CRITICAL, List.of(new HealthFinding(check, HealthLevel.CRITICAL,
                message.replace('\n', ' '), recommendation)), Instant.now());
    }

    private void print(HealthReport report, PrintWriter out) {
        if (format == Format.json) {
            out.println(Render.json(json(report)));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (HealthFinding finding : report.findings()) {
            rows.add(List.of(finding.level().name(), finding.check(), finding.message(), finding.recommendation()));
        }
        out.print(Render.table(List.of("level", "check", "message", "recommendation"), rows));
        out.println("health: " + report.level());
    }

    /** A health report as the documented JSON object (the console's /api/health too). */
    static ObjectNode json(HealthReport report) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("level", report.level().name());
        root.put("checked_at", report.checkedAt().toString());
        ArrayNode findings = root.putArray("findings");
        for (HealthFinding finding : report.findings()) {
            findings.addObject().put("check", finding.check()).put("level", finding.level().name())
                    .put("message", finding.message()).put("recommendation", finding.recommendation());
        }
        return root;
    }
}
