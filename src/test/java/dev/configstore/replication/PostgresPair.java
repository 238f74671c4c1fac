package dev.configstore.replication;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A primary and a streaming standby of the machine's PostgreSQL, in a temporary directory on
 * free loopback ports, started with {@code initdb}, {@code pg_ctl} and {@code pg_basebackup -R}
 * (as the {@code postgres} user when the tests run as root, since initdb refuses root). The test
 * kills, freezes and promotes them; {@link #close} stops whatever runs and deletes the directory.
 *
 * <p>{@code fsync} is off: the tests kill processes, not the machine, and the operating system
 * keeps what a killed server wrote.
 */
public final class PostgresPair implements AutoCloseable {

    /** One server: its data directory and port. */
    public record Node(Path directory, int port) {
        public String url() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        }
    }

    private static final Path BIN = findBinaries();
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path root;
    private final boolean synchronous;
    private final List<Node> nodes = new ArrayList<>(); // every node started, for close
    private Node primary;
    private Node standby;
    /** The two servers as first started: the URL lists their ports; a replacement reuses a port. */
    private final List<Node> ports = new ArrayList<>();
    private int generation;
    private Thread stopper;
    private boolean closed;

    private PostgresPair(Path root, boolean synchronous) {
        this.root = root;
        this.synchronous = synchronous;
    }

    /** Why the pair cannot start here, or null when it can. */
    public static String unavailableReason() {
        if (BIN == null) {
            return "PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) were not found: install the"
                    + " PostgreSQL server package (pg_config --bindir tells where they are)";
        }
        if (ROOT && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return "the tests run as root and runuser is missing: initdb refuses root";
        }
        return null;
    }

    /** Starts a primary and a standby; {@code synchronous}: the primary waits for the standby at each commit. */
    public static PostgresPair start(boolean synchronous) throws Exception {
        return start(synchronous, true);
    }

    /** Starts one server with the same settings and no standby, to compare against. */
    public static PostgresPair startSingle() throws Exception {
        return start(false, false);
    }

    private static PostgresPair start(boolean synchronous, boolean withStandby) throws Exception {
        Path root = Files.createTempDirectory("configstore-pair");
        handToPostgres(root);
        PostgresPair pair = new PostgresPair(root, synchronous);
        Thread stopper = new Thread(() -> {
            try {
                pair.close(); // a test JVM that is killed or times out leaves no server behind
            } catch (Exception e) {
                // exiting anyway
            }
        });
        Runtime.getRuntime().addShutdownHook(stopper);
        pair.stopper = stopper;
        try {
            pair.primary = pair.initPrimary();
            if (withStandby) {
                pair.standby = pair.addStandby(freePort());
            }
            return pair;
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    public Node primary() {
        return primary;
    }

    public Node standby() {
        return standby;
    }

    /** A URL that lists both servers (the first primary first): what an application is given. Stays valid. */
    public String url() {
        return multiHost("");
    }

    /** The multi-host URL with extra parameters ({@code &name=value...}). */
    public String multiHost(String parameters) {
        StringBuilder hosts = new StringBuilder();
        for (Node node : ports) {
            hosts.append(hosts.length() == 0 ? "" : ",").append("127.0.0.1:").append(node.port());
        }
        return "jdbc:postgresql://" + hosts + "/postgres?user=postgres" + parameters;
    }

    private Node initPrimary() throws Exception {
        Node node = new Node(root.resolve("node" + generation++), freePort());
        run(List.of(BIN.resolve("initdb").toString(), "-D", node.directory().toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"));
        String conf = "\nlisten_addresses = '127.0.0.1'\nport = " + node.port()
                + "\nunix_socket_directories = ''\nwal_level = replica\nmax_wal_senders = 8"
                + "\nwal_keep_size = '256MB'\nfsync = off\nmax_connections = 60\nshared_buffers = '32MB'"
                + "\nsynchronous_standby_names = '" + (synchronous ? "*" : "") + "'\n";
        append(node.directory().resolve("postgresql.conf"), conf);
        append(node.directory().resolve("pg_hba.conf"), "\nhost replication all 127.0.0.1/32 trust\n");
        startNode(node);
        nodes.add(node);
        ports.add(node);
        return node;
    }

    /**
     * After a failover: a new standby, copied from the new primary, where the dead primary was
     * (its port, a new directory), so the application's URL lists it again. Streaming when this returns.
     */
    public Node replaceDeadPrimary() throws Exception {
        Node dead = standby;
        awaitGone(dead);
        return addStandby(dead.port());
    }

    private void awaitGone(Node node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", node.port()), 200);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the server on port " + node.port() + " did not go away");
    }

    /** A new standby copied from the current primary with {@code pg_basebackup -R}, streaming when this returns. */
    private Node addStandby(int port) throws Exception {
        Node node = new Node(root.resolve("node" + generation++), port);
        run(List.of(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primary.port()),
                "-U", "postgres", "-D", node.directory().toString(), "-R", "-X", "stream", "--no-sync",
                "--checkpoint=fast")); // a spread checkpoint under load takes minutes
        append(node.directory().resolve("postgresql.conf"), "\nport = " + node.port() + "\n");
        startNode(node);
        nodes.add(node);
        if (ports.size() < 2) {
            ports.add(node);
        }
        standby = node;
        awaitStreaming();
        return node;
    }

    /** Waits until the primary reports a streaming standby (a synchronous one for a synchronous pair). */
    public void awaitStreaming() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String wanted = synchronous ? "sync" : "async";
        while (System.nanoTime() < deadline) {
            if (wanted.equals(query(primary, "SELECT sync_state FROM pg_stat_replication WHERE state = 'streaming'"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the standby on port " + standby.port() + " did not start streaming");
    }

    /** SIGKILL of the primary's postmaster (its backends notice and exit). */
    public void killPrimary() throws Exception {
        ProcessHandle.of(postmasterPid(primary)).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL of the primary's postmaster and every process it started at once: the host died. */
    public void killPrimaryServer() throws Exception {
        signalServer(primary, "KILL");
    }

    /** Promotes the standby and makes it the primary; returns when it accepts writes. */
    public void promoteStandby() throws Exception {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", standby.directory().toString(), "-w", "-t", "30", "promote"));
        Node promoted = standby;
        standby = primary; // the old primary is dead: the URL keeps listing it, as an application's would
        primary = promoted;
    }

    /** What an operator does when a synchronous primary has no standby left: lets commits go on. */
    public void relaxSynchronousCommit() throws Exception {
        execute(primary, "ALTER SYSTEM SET synchronous_standby_names = ''");
        execute(primary, "SELECT pg_reload_conf()");
    }

    /** Makes the primary wait for a standby at each commit again (after {@link #relaxSynchronousCommit}). */
    public void requireSynchronousCommit() throws Exception {
        execute(primary, "ALTER SYSTEM SET synchronous_standby_names = '*'");
        execute(primary, "SELECT pg_reload_conf()");
    }

    /** Stops the standby at once (pg_ctl stop -m immediate): the primary has no standby left. */
    public void stopStandby() throws Exception {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", standby.directory().toString(), "-m", "immediate", "-w",
                "-t", "30", "stop"));
    }

    /** Starts the standby {@link #stopStandby} stopped; it streams again when this returns. */
    public void startStandby() throws Exception {
        startNode(standby);
        awaitStreaming();
    }

    /** SIGSTOP to the primary's postmaster and every process it started: the server stops answering. */
    public void freezePrimary() throws Exception {
        signalServer(primary, "STOP");
    }

    /** SIGCONT after {@link #freezePrimary}. */
    public void thawPrimary() throws Exception {
        signalServer(primary, "CONT");
    }

    /** The WAL bytes the standby has not replayed yet, as the primary reports it. */
    public long replayLagBytes() throws Exception {
        String lag = query(primary, "SELECT COALESCE(MAX(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint"
                + " FROM pg_stat_replication");
        return lag == null ? 0 : Long.parseLong(lag);
    }

    private void signalServer(Node node, String signal) throws Exception {
        long pid = postmasterPid(node);
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(pid)));
        ProcessHandle.of(pid).ifPresent(handle -> handle.children()
                .forEach(child -> command.add(Long.toString(child.pid()))));
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor();
    }

    private static long postmasterPid(Node node) throws IOException {
        return Long.parseLong(Files.readAllLines(node.directory().resolve("postmaster.pid")).get(0).trim());
    }

    /** Runs one statement on a node with a plain connection. */
    public static void execute(Node node, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(node.url());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row, or null. */
    public static String query(Node node, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(node.url());
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private void startNode(Node node) throws Exception {
        Path log = node.directory().resolveSibling(node.directory().getFileName() + ".log");
        try {
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", node.directory().toString(), "-l", log.toString(),
                    "-w", "-t", "30", "start"));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + (Files.exists(log)
                    ? Files.readString(log) : "(none)"), e);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (stopper != null && Thread.currentThread() != stopper) {
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
        for (Node node : nodes) {
            try {
                signalServer(node, "CONT"); // a frozen server cannot stop
            } catch (IOException e) {
                // not running
            }
            if (Files.exists(node.directory().resolve("postmaster.pid"))) {
                try {
                    run(List.of(BIN.resolve("pg_ctl").toString(), "-D", node.directory().toString(), "-m", "immediate",
                            "-w", "-t", "10", "stop"));
                } catch (IllegalStateException e) {
                    // a dead server's stale pid file: kill only a postgres process by that number
                    ProcessHandle.of(postmasterPid(node)).filter(handle -> handle.info().command()
                            .map(command -> command.contains("postgres")).orElse(false))
                            .ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void run(List<String> command) throws Exception {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).directory(root.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private static void handToPostgres(Path directory) throws IOException {
        if (ROOT) {
            UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(directory, postgres);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path findBinaries() {
        List<Path> candidates = new ArrayList<>();
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() == 0 && !out.isEmpty()) {
                candidates.add(Path.of(out));
            }
        } catch (IOException | InterruptedException e) {
            // no pg_config on the path
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted(Comparator.reverseOrder()).forEach(version -> candidates.add(version.resolve("bin")));
        } catch (IOException e) {
            // not a Debian layout
        }
        return candidates.stream()
                .filter(bin -> Stream.of("initdb", "pg_ctl", "pg_basebackup").allMatch(tool -> Files.isExecutable(bin.resolve(tool))))
                .findFirst().orElse(null);
    }
}
