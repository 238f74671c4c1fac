package dev.configstore.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.configstore.ConfigStore;
import dev.configstore.lock.Lease;
import dev.configstore.lock.LeaseInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "lock", description = "Leases: named locks with an owner and an expiry.",
        subcommands = {LockCommand.Acquire.class, LockCommand.Release.class, LockCommand.Status.class})
final class LockCommand {

    static final int HELD = 7;

    @ParentCommand
    Main main;

    abstract static class Sub extends SubcommandOptions {
        @ParentCommand
        LockCommand lock;

        @Override
        Main main() {
            return lock.main;
        }
    }

    @Command(name = "acquire", description = "Acquire a lease and print its id alone on a line (exit 7 if held).")
    static final class Acquire extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--ttl", paramLabel = "D", description = "how long it is held unless renewed (default 30s)")
        String ttl = "30s";

        @Option(names = "--wait", paramLabel = "D", description = "wait up to D for it to be released or to expire")
        String wait;

        @Override
        public Integer call() {
            Duration time = Durations.parse("--ttl", ttl);
            Duration patience = wait == null ? null : Durations.parse("--wait", wait);
            try (ConfigStore store = openStore()) {
                // the lease outlives this process: it is not closed here, but released by id or by expiry
                Lease lease = patience == null ? store.locks().acquire(name, time)
                        : store.locks().acquire(name, time, patience);
                out().println(lease.id());
            }
            return Main.OK;
        }
    }

    @Command(name = "release", description = "Release a lease by its id.")
    static final class Release extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                store.locks().release(id);
                out().println("released " + id);
            }
            return Main.OK;
        }
    }

    @Command(name = "status", description = "Who holds a lease: exit 0 if it is free or stale, 7 if it is held.")
    static final class Status extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--format", paramLabel = "F", description = "text (default) or json")
        Text format = Text.text;

        enum Text { text, json }

        @Override
        public Integer call() {
            try (ConfigStore store = openStore()) {
                Optional<LeaseInfo> holder = store.locks().status(name);
                if (format == Text.json) {
                    ObjectNode status = JsonNodeFactory.instance.objectNode().put("name", name)
                            .put("state", holder.map(info -> info.stale() ? "stale" : "held").orElse("free"));
                    holder.ifPresent(info -> status.put("id", info.id()).put("actor", info.actor())
                            .put("host", info.host()).put("pid", info.pid())
                            .put("acquired_at", info.acquiredAt().toString())
                            .put("expires_at", info.expiresAt().toString()));
                    out().println(Render.json(status));
                    return holder.isPresent() && !holder.get().stale() ? HELD : Main.OK;
                }
                if (holder.isEmpty()) {
                    out().println("free");
                    return Main.OK;
                }
                LeaseInfo info = holder.get();
                out().println((info.stale() ? "stale" : "held") + " by " + info.holder() + " since " + info.acquiredAt()
                        + (info.stale() ? ", expired at " : ", until ") + info.expiresAt() + " (lease " + info.id() + ")");
                return info.stale() ? Main.OK : HELD;
            }
        }
    }
}
