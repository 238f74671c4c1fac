package dev.configstore.internal.health;

import dev.configstore.health.HealthLevel;
import dev.configstore.health.HealthListener;
import dev.configstore.health.HealthMonitor;
import dev.configstore.health.HealthReport;
import dev.configstore.health.StoreMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One health monitor: a thread that checks on a schedule and reports level changes. */
final class HealthSchedule implements HealthMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(HealthSchedule.class);

    private final Supplier<HealthReport> check;
    private final HealthListener listener;
    private final StoreMetrics metrics;
    private final Consumer<HealthSchedule> closed;
    private final ScheduledExecutorService thread;
    private volatile HealthReport latest;

    HealthSchedule(Supplier<HealthReport> check, HealthListener listener, StoreMetrics metrics,
                   Consumer<HealthSchedule> closed) {
        this.check = check;
        this.listener = listener;
        this.metrics = metrics;
        this.closed = closed;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread daemon = new Thread(runnable, "configstore-health-monitor");
            daemon.setDaemon(true);
            return daemon;
        });
    }

    void start(Duration interval) {
        thread.scheduleWithFixedDelay(this::checkOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkOnce() {
        HealthReport report;
        try {
            report = check.get();
        } catch (RuntimeException e) {
            LOG.debug("a scheduled health check failed; next time", e);
            return; // the check reports an unreachable store as a finding; anything else is retried
        }
        HealthReport before = latest;
        latest = report;
        Optional<HealthLevel> previous = Optional.ofNullable(before).map(HealthReport::level);
        if (previous.isEmpty() || previous.get() != report.level()) {
            try {
                listener.levelChanged(previous, report);
            } catch (RuntimeException | Error e) { // an Error too: the schedule would stop for good
                LOG.warn("a health monitor's listener threw; the monitor goes on", e);
                try {
                    metrics.listenerFailed("health-monitor", e);
                } catch (RuntimeException ignored) {
                    // a metrics hook that throws is ignored
                }
            }
        }
    }

    @Override
    public HealthReport latest() {
        return latest;
    }

    @Override
    public void close() {
        thread.shutdown();
        closed.accept(this);
    }
}
