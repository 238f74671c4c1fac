package dev.configstore.cli;

import dev.configstore.ConfigStoreException;
import dev.configstore.ErrorCode;
import dev.configstore.schema.SchemaViolationException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The configstore command line. */
@Command(name = "configstore", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A versioned, audited, transactional configuration store.")
public final class Main {

    /**
     * The subcommands by name, in the order help lists them. picocli builds a command's model by
     * reflection over its class, its options and their types; a command line that names one of
     * these gets only that one (a tenth of a short command's time, measured), anything else (no
     * command, help, completion, an unknown word, a help or version option first) gets them all.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = orderedMap(
            "init", InitCommand.class, "revision", RevisionCommand.class, "get", GetCommand.class,
            "set", SetCommand.class, "unset", UnsetCommand.class, "show", ShowCommand.class, "diff", DiffCommand.class,
            "history", HistoryCommand.class, "sql", SqlCommand.class, "verify", VerifyCommand.class,
            "profile", ProfileCommand.class, "backup", BackupCommand.class, "compact", CompactCommand.class,
            "export", ExportCommand.class, "import", ImportCommand.class, "lock", LockCommand.class,
            "health", HealthCommand.class, "stats", StatsCommand.class, "watch", WatchCommand.class, "console", ConsoleCommand.class,
            "schema", SchemaCommand.class, "validate", ValidateCommand.class, "secret", SecretCommand.class,
            "demo", DemoCommand.class, "completion", CompletionCommand.class, "help", HelpCommand.class);

    /**
     * The commands that open the store with {@code readOnly()}: their output is held until the
     * command is done, so one whose reader stops reading (a pager) does not keep the store's file.
     */
    private static final java.util.Set<String> READS_ONCE = java.util.Set.of("get", "show", "revision", "diff",
            "history");

    /** The global options that take a value (the word after them is not a command). */
    private static final java.util.Set<String> VALUED_OPTIONS = java.util.Set.of("--store", "--url", "--actor",
            "--keyring", "--log-level", "--read-url", "--failover-timeout", "--durability");

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int INTEGRITY = 6;

    @Option(names = "--store", paramLabel = "DIR", description = "store directory (default ./config)")
    String store;

    @Option(names = "--url", paramLabel = "JDBC_URL", description = "JDBC URL of the store (H2 or PostgreSQL)")
    String url;

    @Option(names = "--actor", paramLabel = "NAME", description = "who makes the changes (default user@host:pid)")
    String actor;

    @Option(names = "--read-url", paramLabel = "JDBC_URL", description = "PostgreSQL URL to read history, past"
            + " revisions and diffs from, a standby preferred (default: CONFIGSTORE_READ_URL, else the store's URL)")
    String readUrl;

    @Option(names = "--failover-timeout", paramLabel = "SECONDS", description = "how long a PostgreSQL store keeps"
            + " trying through a failover (default 30)")
    Integer failoverSeconds;

    @Option(names = "--durability", paramLabel = "MODE", description = "what a returned write survives: SYNC"
            + " (default), PROCESS, REPLICATED or REPLICATED_APPLIED (PostgreSQL with a synchronous standby)")
    dev.configstore.Durability durability;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Option(names = "--keyring", paramLabel = "FILE", description = "the keyring of the store's secrets and HMAC chain"
            + " (default: CONFIGSTORE_KEYRING, else DIR.keyring beside a --store DIR)")
    String keyring;

    enum LogLevel { off, error, warn, info, debug, trace }

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "what the libraries log to stderr: off, error,"
            + " warn (default), info, debug or trace")
    LogLevel logLevel = LogLevel.warn;

    /** Set by {@link #run}: the environment the command sees (CONFIGSTORE_URL). */
    Map<String, String> environment = Map.of();

    public static void main(String[] args) {
        // H2 reads its bind address once, when its classes load, and the preload below loads
        // them: without this a plain java -jar would start an auto-server on every interface
        // (and the store refuses to open rather than allow it)
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        chooseLogLevel(args);
        preloadInBackground();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /**
     * Sets the level of the CLI's logger (SLF4J's simple binding, to stderr) from {@code --log-level}
     * before anything logs: the binding reads it once, when the first logger is made. The option
     * is parsed again with the others, which refuses a level that does not exist.
     */
    private static void chooseLogLevel(String[] args) {
        String level = "warn";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-level") && i + 1 < args.length) {
                level = args[i + 1];
            } else if (args[i].startsWith("--log-level=")) {
                level = args[i].substring("--log-level=".length());
            }
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.toLowerCase(java.util.Locale.ROOT));
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    /**
     * A short command spends most of its life loading and initializing classes, one after the
     * other. The libraries a store needs (the database, the pool, jOOQ, Jackson) do not depend on
     * the command line, so a second thread initializes them while picocli parses it; the
     * classes' own initialization locks keep the two threads consistent. Nothing is opened.
     */
    private static void preloadInBackground() {
        Thread preload = new Thread(() -> {
            for (String name : new String[] {"org.h2.Driver", "org.h2.engine.Engine", "org.h2.mvstore.MVStore",
                    "com.zaxxer.hikari.HikariDataSource", "org.jooq.impl.DSL", "org.jooq.impl.SQLDataType",
                    "org.jooq.impl.DefaultConfiguration", "com.fasterxml.jackson.databind.ObjectMapper"}) {
                try {
                    Class.forName(name, true, Main.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    return; // only an optimization: the command loads what it needs itself
                }
            }
        }, "configstore-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /** Runs one command line and returns its exit code; the tests call this in process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        Main main = new Main();
        main.environment = environment;
        String named = namedCommand(args);
        CommandLine commandLine = commandLine(main, named);
        java.io.StringWriter held = named != null && READS_ONCE.contains(named) ? new java.io.StringWriter() : null;
        commandLine.setOut(held != null ? new PrintWriter(held) : out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            int code = exitCode(exception);
            String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
            if (exception instanceof SchemaViolationException) { // a line per document, then per violation
                message.lines().forEach(text -> line.getErr().println((text.startsWith("  ") ? "" : "configstore: ")
                        + oneLine(text)));
            } else {
                line.getErr().println("configstore: " + oneLine(message));
            }
            if (main.verbose) {
                exception.printStackTrace(line.getErr());
            }
            return code;
        });
        int code = commandLine.execute(args);
        if (held != null) {
            out.print(held);
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The command line with every subcommand ({@code named} null) or with only the one named. */
    static CommandLine commandLine(Main main, String named) {
        CommandLine commandLine = new CommandLine(main);
        SUBCOMMANDS.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                commandLine.addSubcommand(name, command);
            }
        });
        withHelpOptions(commandLine);
        return commandLine;
    }

    /**
     * The subcommand a command line names, when building only that one gives the same result as
     * building all: null for help, completion, no command, or anything unexpected before it.
     */
    static String namedCommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (VALUED_OPTIONS.contains(arg)) {
                i++;
            } else if (arg.equals("--verbose") || arg.startsWith("--") && arg.contains("=")
                    && VALUED_OPTIONS.contains(arg.substring(0, arg.indexOf('=')))) {
                continue;
            } else {
                boolean single = SUBCOMMANDS.containsKey(arg) && !arg.equals("help") && !arg.equals("completion");
                return single ? arg : null;
            }
        }
        return null;
    }

    private static Map<String, Class<?>> orderedMap(Object... namesAndClasses) {
        Map<String, Class<?>> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndClasses.length; i += 2) {
            map.put((String) namesAndClasses[i], (Class<?>) namesAndClasses[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** Gives every command and subcommand -h/--help and -V/--version (help then exits 0 before any check). */
    private static void withHelpOptions(CommandLine line) {
        line.getCommandSpec().mixinStandardHelpOptions(true);
        for (CommandLine subcommand : new java.util.LinkedHashSet<>(line.getSubcommands().values())) {
            withHelpOptions(subcommand);
        }
    }

    /** The version from the jar's manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"configstore " + (version != null ? version : "(not from a jar: no version recorded)")};
        }
    }

    static int exitCode(Throwable exception) {
        if (exception instanceof ConfigStoreException failure) {
            return exitCode(failure.code());
        }
        if (exception instanceof IllegalArgumentException || exception instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        return FAILURE;
    }

    /** One switch with no default: a new error code does not compile until it is mapped here. */
    static int exitCode(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> 3;
            case CONFLICT -> 4;
            case INVALID_INPUT -> 5;
            case LEASE_HELD -> 7;
            case STORE_DAMAGED -> INTEGRITY;
            case STORE_UNAVAILABLE, SCHEMA_TOO_NEW, INTERNAL -> FAILURE;
        };
    }

    private static String oneLine(String message) {
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
