package dev.configstore;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The writer the watch process tests run in a child JVM: {@code write N STORE...} commits N
 * revisions across three documents (current, a profile {@code table-3} extending it, and
 * {@code audio}), some touching several keys, some touching no key under {@code vision}, then
 * prints {@code DONE head}. The store is given as {@link Backend#forChild()} describes it.
 */
public final class WatchChild {

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int revisions = Integer.parseInt(args[1]);
        try (ConfigStore store = Backend.open(Arrays.copyOfRange(args, 2, args.length)).actor("child").open()) {
            out.println("READY");
            long head = 0;
            for (int i = 0; i < revisions; i++) {
                head = switch (i % 7) {
                    case 0 -> store.put("vision.camera.fps", i).revision();
                    case 1 -> store.batch().set("current", "vision.camera.device", "cam-" + i)
                            .set("current", "vision.lens.zoom", i).set("audio", "volume", i).commit().revision();
                    case 2 -> store.put("audio", "volume", -i).revision(); // nothing under vision
                    case 3 -> store.put("table-3", "vision.camera.fps", i).revision(); // a profile, not current
                    case 4 -> store.put("visionary", i).revision(); // a sibling that only looks like the key
                    case 5 -> i % 2 == 0 ? store.unset("vision.lens").revision()
                            : store.put("vision.lens", "{\"zoom\": 1}").revision();
                    default -> store.batch().set("current", "vision.camera.fps", i)
                            .set("table-3", "vision.camera.device", "t3-" + i).commit().revision();
                };
            }
            out.println("DONE " + head);
        }
    }
}
