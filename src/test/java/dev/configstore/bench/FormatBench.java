package dev.configstore.bench;

import dev.configstore.Batch;
import dev.configstore.ConfigStore;
import dev.configstore.format.Format;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Export and import of a 10,000-key document in every format, on an H2 store: medians of
 * several runs after a warm-up. Not a test; run it by hand (see the README).
 */
public final class FormatBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path directory = Files.createTempDirectory("format-bench");
        try (ConfigStore store = ConfigStore.builder().path(directory.resolve("store")).open()) {
            Batch batch = store.batch();
            for (int group = 0; group < 100; group++) {
                for (int key = 0; key < 100; key++) {
                    String path = "group" + group + ".key" + key;
                    Object value = switch (key % 4) {
                        case 0 -> "text value " + key;
                        case 1 -> key * 1000;
                        case 2 -> key % 8 == 2;
                        default -> key / 7.0;
                    };
                    batch.set("current", path, value);
                }
            }
            batch.commit();
            System.out.printf("%-11s %10s %12s %12s%n", "format", "bytes", "export ms", "import ms");
            int target = 0;
            for (Format format : Format.values()) {
                List<Double> exports = new ArrayList<>();
                List<Double> imports = new ArrayList<>();
                byte[] written = null;
                for (int run = -2; run < runs; run++) { // two warm-up runs
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    long start = System.nanoTime();
                    store.formats().exportDocument("current", format, out, dev.configstore.format.ExportOptions.head());
                    double exportMs = (System.nanoTime() - start) / 1e6;
                    written = out.toByteArray();
                    String document = "import-" + target++;
                    start = System.nanoTime();
                    store.formats().importDocument(document, format, new ByteArrayInputStream(written),
                            "bench." + format.extension(), dev.configstore.format.ImportOptions.replacing());
                    double importMs = (System.nanoTime() - start) / 1e6;
                    if (run >= 0) {
                        exports.add(exportMs);
                        imports.add(importMs);
                    }
                    store.delete(document);
                }
                System.out.printf("%-11s %10d %12.1f %12.1f%n", format.name().toLowerCase(), written.length,
                        median(exports), median(imports));
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
