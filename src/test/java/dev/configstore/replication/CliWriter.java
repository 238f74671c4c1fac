package dev.configstore.replication;

import dev.configstore.cli.Main;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A child JVM that writes through the command line until its standard input closes or says
 * stop: {@code set PREFIX.nK K} for K = 1, 2, ..., each a whole CLI invocation (open, write,
 * close). Prints {@code ACK key revision} for exit 0 with a changed revision, else
 * {@code FAIL key exit-code message}. Arguments: URL PREFIX DURABILITY FAILOVER_SECONDS.
 */
public final class CliWriter {

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("READY");
        for (int k = 1; System.in.available() == 0; k++) {
            String key = args[1] + ".n" + k;
            StringWriter printed = new StringWriter();
            StringWriter errors = new StringWriter();
            int code = Main.run(new String[] {"--url", args[0], "--durability", args[2], "--failover-timeout", args[3],
                    "--actor", "cli", "set", key, Integer.toString(k)}, new PrintWriter(printed), new PrintWriter(errors),
                    Map.of());
            String text = printed.toString().strip();
            if (code == 0 && text.startsWith("revision ")) {
                out.println("ACK " + key + " " + text.split(" ")[1]);
            } else {
                out.println("FAIL " + key + " " + code + " " + (text + " " + errors).strip().replace('\n', ' '));
            }
        }
        out.println("STOPPED");
    }
}
