package dev.configstore.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.commons.io.input.ProxyInputStream;
import org.apache.commons.io.output.ProxyOutputStream;

/**
 * A progress line on stderr for long work, rewritten in place at most five times a second:
 * what is done of the total, the rate and the time left. Only when a person watches (stderr
 * and stdout on a terminal); otherwise it prints nothing, so scripts and pipes get clean output.
 * Not thread-safe: one worker reports.
 */
final class Progress implements AutoCloseable {

    private static final long EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String what;
    private final String unit;
    private long total;
    private final boolean shown;
    private final LongSupplier clock;
    private final long started;
    private long lastShown;
    private boolean printed;

    Progress(PrintWriter err, String what, String unit, long total, boolean shown, LongSupplier clock) {
        this.err = err;
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.shown = shown;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastShown = started - EVERY_NANOS;
    }

    /** Progress shown only on a terminal; {@code total} below 1 when it is not known. */
    static Progress onTerminal(PrintWriter err, String what, String unit, long total) {
        return new Progress(err, what, unit, total, System.console() != null, System::nanoTime);
    }

    /** Reports progress towards a total learned on the way (verify knows it only when it starts). */
    void update(long done, long newTotal) {
        total = newTotal;
        update(done);
    }

    void update(long done) {
        long now = clock.getAsLong();
        if (!shown || now - lastShown < EVERY_NANOS) {
            return;
        }
        lastShown = now;
        err.print("\r" + line(done, now - started) + "   ");
        err.flush();
        printed = true;
    }

    /** The line for {@code done} after {@code elapsedNanos}: "reading a.json 3.2 of 10.0 MB (32%), 1.6 MB/s, 4 s left". */
    String line(long done, long elapsedNanos) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        double rate = done / seconds;
        String[] scale = scale(Math.max(done, total));
        double divisor = Double.parseDouble(scale[1]);
        StringBuilder line = new StringBuilder(what).append(' ').append(amount(done, divisor));
        if (total > 0) {
            line.append(" of ").append(amount(total, divisor)).append(' ').append(scale[0])
                    .append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, done * 100 / total)));
        } else {
            line.append(' ').append(scale[0]);
        }
        line.append(", ").append(amount(Math.round(rate), divisor)).append(' ').append(scale[0]).append("/s");
        if (total > 0 && rate > 0 && done < total) {
            line.append(String.format(Locale.ROOT, ", %d s left", Math.round((total - done) / rate)));
        }
        return line.toString();
    }

    /** The unit and its size for amounts up to {@code largest}: bytes in KB, MB or GB, other units as they are. */
    private String[] scale(long largest) {
        if (!unit.equals("bytes")) {
            return new String[] {unit, "1"};
        }
        return largest >= 1e9 ? new String[] {"GB", "1e9"} : largest >= 1e6 ? new String[] {"MB", "1e6"}
                : new String[] {"KB", "1e3"};
    }

    private static String amount(long value, double divisor) {
        return divisor == 1 ? Long.toString(value) : String.format(Locale.ROOT, "%.1f", value / divisor);
    }

    /** Ends the line, when one was printed; closing again does nothing. */
    @Override
    public void close() {
        if (printed) {
            printed = false;
            err.println();
            err.flush();
        }
    }

    /** Counts what is read through it. */
    InputStream reading(InputStream in) {
        return new ProxyInputStream(in) {
            private long count;

            @Override
            protected void afterRead(int n) {
                if (n > 0) {
                    count += n;
                    update(count);
                }
            }
        };
    }

    /** Counts what is written through it. */
    OutputStream writing(OutputStream out) {
        return new ProxyOutputStream(out) {
            private long count;

            @Override
            protected void afterWrite(int n) {
                count += n;
                update(count);
            }
        };
    }
}
