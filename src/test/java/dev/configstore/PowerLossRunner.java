package dev.configstore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures, by hand, how the store fares under the harsher power-loss models of
 * {@link FaultyFilePath}: runs of trials until the first broken guarantee, per model and
 * durability mode. Not a test: H2 does not survive these models every time (see the README).
 *
 * <p>{@code java -cp ... dev.configstore.PowerLossRunner [runs] [trials]}
 */
public final class PowerLossRunner {

    private PowerLossRunner() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        for (FaultyFilePath.PowerLoss model : FaultyFilePath.PowerLoss.values()) {
            for (Durability durability : Durability.values()) {
                int broken = 0;
                long survived = 0;
                for (int run = 0; run < runs; run++) {
                    Path temp = Files.createTempDirectory("configstore-power-loss");
                    PowerLossTest.Outcome outcome = PowerLossTest.run(temp, durability, model, trials, System.nanoTime(),
                            false);
                    survived += outcome.failure() == null ? outcome.trials() : outcome.trials() - 1;
                    if (outcome.failure() != null) {
                        broken++;
                        System.out.println("  " + model + " " + durability + ": " + outcome.failure());
                    }
                    try (var files = Files.walk(temp)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
                System.out.println(model + " " + durability + ": " + broken + " of " + runs + " runs broke a"
                        + " guarantee; " + survived + " power-loss trials passed before that");
            }
        }
    }
}
