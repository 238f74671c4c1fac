package dev.configstore.cli;

import dev.configstore.ConfigStore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "console", description = "Serve the web console for the store (loopback only unless told otherwise)"
        + " and print its address with a random access token; runs until stopped (SIGINT or SIGTERM: exit 0).")
final class ConsoleCommand extends StoreOptions implements Callable<Integer> {

    /** Who the console's writes are recorded as. */
    static final String ACTOR = "console";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", description = "the port (default 0: a free one the system picks)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "the address to listen on (default 127.0.0.1);"
            + " anything but loopback needs --allow-remote")
    String bind = "127.0.0.1";

    @Option(names = "--allow-remote", description = "allow a --bind address other machines can reach (put a reverse"
            + " proxy with TLS in front: the console speaks plain HTTP)")
    boolean allowRemote;

    @Option(names = "--read-only", description = "refuse every write (edit, unset, restore, restore points)")
    boolean readOnly;

    @Option(names = "--open", description = "open the console in the desktop's browser")
    boolean open;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, was " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind '" + bind + "' is not an address of this machine");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!address.isLoopbackAddress()) {
            if (!allowRemote) {
                throw new IllegalArgumentException("--bind " + bind + " is reachable from other machines; add"
                        + " --allow-remote, and put a reverse proxy with TLS in front (the console speaks plain HTTP)");
            }
            err.println("configstore: warning: the console listens on " + bind + ", beyond this machine, over plain"
                    + " HTTP; anyone who sees its URL can change the store. Put a reverse proxy with TLS in front.");
            err.flush();
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (Signals signals = Signals.onTermination(stop::countDown);
             ConfigStore store = open(main, builder -> builder.actor(ACTOR).refreshInterval(Duration.ofMillis(200)));
             ConsoleServer server = new ConsoleServer(store, new ConsoleServer.Settings(address, port, readOnly,
                     allowRemote)).start()) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("configstore console" + (readOnly ? " (read-only)" : "") + ": " + server.url());
            out.println("stop it with Ctrl-C");
            out.flush();
            if (open) {
                browse(server.url(), err);
            }
            stop.await();
        }
        return Main.OK;
    }

    private static void browse(String url, PrintWriter err) {
        try {
            if (java.awt.Desktop.isDesktopSupported()
                    && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(java.net.URI.create(url));
                return;
            }
        } catch (java.io.IOException | UnsupportedOperationException e) { // HeadlessException too
            // fall through to the message
        }
        err.println("configstore: no desktop browser to open; open the address above yourself");
        err.flush();
    }
}
