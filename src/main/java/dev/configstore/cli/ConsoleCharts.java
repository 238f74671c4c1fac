package dev.configstore.cli;

import dev.configstore.ConfigStore;
import dev.configstore.ConfigStoreException;
import dev.configstore.health.OperationStats;
import dev.configstore.health.StoreStats;
import dev.configstore.history.QueryResult;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's charts, drawn on the server as SVG: revisions per day and keys over the last 30
 * days (from the documented SQL views, through the store's read-only SQL, so each drawing is an
 * {@code sql} entry of the operation log) and operation durations (from the statistics). A
 * drawing is kept for 10 seconds, so a page reloaded in a loop does not fill the log.
 *
 * <p>Drawn here rather than by a chart library in the browser: the build then needs no
 * JavaScript tool chain (a fresh machine has only a JDK), the page runs no third-party code
 * under its strict content policy, and three bar and line charts are a page of code.
 */
final class ConsoleCharts {

    static final int DAYS = 30;
    /** The UTC day of a commit, in SQL that H2 and PostgreSQL both take. */
    private static final String UTC_DAY = "CAST(committed_at AT TIME ZONE 'UTC' AS DATE)";
    private static final long KEEP_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int WIDTH = 640;
    private static final int HEIGHT = 220;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;
    private static final int TOP = 28;

    private record Drawn(long at, String svg) {
    }

    private final ConfigStore store;
    private final Map<String, Drawn> drawn = new ConcurrentHashMap<>();

    ConsoleCharts(ConfigStore store) {
        this.store = store;
    }

    /** The chart by its name: {@code revisions-per-day}, {@code keys-over-time} or {@code operation-durations}. */
    String render(String name) {
        if (!List.of("revisions-per-day", "keys-over-time", "operation-durations").contains(name)) {
            throw new ConsoleApi.Refusal(404, "no chart '" + ConsoleParams.shortened(name) + "'; the charts are"
                    + " revisions-per-day, keys-over-time and operation-durations");
        }
        Drawn kept = drawn.get(name);
        if (kept != null && System.nanoTime() - kept.at() < KEEP_NANOS) {
            return kept.svg();
        }
        String svg;
        try {
            svg = switch (name) {
                case "revisions-per-day" -> bars("Revisions per day, last " + DAYS + " days (UTC)", perDay(
                        "SELECT " + UTC_DAY + " AS d, COUNT(*) AS n FROM revisions WHERE committed_at >= " + since()
                                + " GROUP BY " + UTC_DAY), "");
                case "keys-over-time" -> keysOverTime();
                default -> durations(store.health().stats());
            };
        } catch (ConfigStoreException e) {
            svg = frame("Chart not available") + text(LEFT, HEIGHT / 2, "start", e.getMessage()) + "</svg>";
        }
        drawn.put(name, new Drawn(System.nanoTime(), svg));
        return svg;
    }

    /**
     * Keys at the end of each day: today's count, less the keys each later day added, plus those
     * it removed (from {@code config_changes}).
     */
    private String keysOverTime() {
        long keys = store.health().stats().keys();
        Map<LocalDate, Long> net = perDay("SELECT " + UTC_DAY + " AS d, SUM(CASE change_kind WHEN 'ADDED'"
                + " THEN 1 WHEN 'REMOVED' THEN -1 ELSE 0 END) AS n FROM config_changes WHERE committed_at >= " + since()
                + " GROUP BY " + UTC_DAY);
        Map<LocalDate, Long> atEnd = new LinkedHashMap<>();
        long running = keys;
        List<LocalDate> days = new ArrayList<>(net.keySet());
        for (int i = days.size() - 1; i >= 0; i--) {
            atEnd.put(days.get(i), running);
            running -= net.get(days.get(i));
        }
        Map<LocalDate, Long> ordered = new LinkedHashMap<>();
        days.forEach(day -> ordered.put(day, atEnd.get(day)));
        return bars("Keys at the end of each day, last " + DAYS + " days", ordered, "");
    }

    /** Every day of the last {@link #DAYS} (UTC), with the query's count or 0. */
    private Map<LocalDate, Long> perDay(String sql) {
        QueryResult result = store.history().query(sql, DAYS + 2, Duration.ofSeconds(5));
        Map<LocalDate, Long> counts = new LinkedHashMap<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (LocalDate day = today.minusDays(DAYS - 1); !day.isAfter(today); day = day.plusDays(1)) {
            counts.put(day, 0L);
        }
        for (List<String> row : result.rows()) {
            LocalDate day = LocalDate.parse(row.get(0).substring(0, 10));
            if (counts.containsKey(day) && row.get(1) != null) {
                counts.put(day, new java.math.BigDecimal(row.get(1)).longValue());
            }
        }
        return counts;
    }

    private static String since() {
        return "TIMESTAMP WITH TIME ZONE '" + LocalDate.now(ZoneOffset.UTC).minusDays(DAYS - 1) + " 00:00:00+00:00'";
    }

    private static String bars(String title, Map<LocalDate, Long> values, String unit) {
        long max = Math.max(1, values.values().stream().mapToLong(Long::longValue).max().orElse(1));
        StringBuilder svg = new StringBuilder(frame(title));
        axis(svg, max, unit);
        int plotWidth = WIDTH - LEFT - 10;
        double step = (double) plotWidth / Math.max(1, values.size());
        int i = 0;
        for (Map.Entry<LocalDate, Long> entry : values.entrySet()) {
            double height = (HEIGHT - TOP - BOTTOM) * (double) entry.getValue() / max;
            double x = LEFT + i * step + 1;
            svg.append(String.format(Locale.ROOT, "<rect fill=\"#3b6ea5\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                            + " height=\"%.1f\"><title>%s: %d</title></rect>", x, HEIGHT - BOTTOM - height,
                    Math.max(1, step - 2), height, entry.getKey(), entry.getValue()));
            if (i % 7 == 0 || i == values.size() - 1) {
                svg.append(text(x, HEIGHT - BOTTOM + 14, "start", entry.getKey().toString().substring(5)));
            }
            i++;
        }
        return svg.append("</svg>").toString();
    }

    /** Median and 95th percentile per operation, on a logarithmic scale (they span microseconds to seconds). */
    private static String durations(StoreStats stats) {
        List<OperationStats> operations = stats.operations();
        int rowHeight = 18;
        int height = TOP + Math.max(1, operations.size()) * rowHeight + BOTTOM;
        StringBuilder svg = new StringBuilder(frame("Operation durations: median and 95th percentile (µs, log scale)",
                height));
        long max = Math.max(10, operations.stream().mapToLong(OperationStats::p95Micros).max().orElse(10));
        double scale = (WIDTH - 130 - 60) / Math.log10(max * 10.0);
        int y = TOP;
        for (OperationStats operation : operations) {
            svg.append(text(120, y + 12, "end", operation.operation() + " (" + operation.count() + ")"));
            double p95 = scale * Math.log10(Math.max(1, operation.p95Micros()) * 10.0);
            double p50 = scale * Math.log10(Math.max(1, operation.p50Micros()) * 10.0);
            svg.append(String.format(Locale.ROOT, "<rect fill=\"#a9c4e2\" x=\"126\" y=\"%d\" width=\"%.1f\""
                    + " height=\"14\"><title>p95 %d µs</title></rect>", y, p95, operation.p95Micros()));
            svg.append(String.format(Locale.ROOT, "<rect fill=\"#3b6ea5\" x=\"126\" y=\"%d\" width=\"%.1f\""
                    + " height=\"14\"><title>p50 %d µs</title></rect>", y, p50, operation.p50Micros()));
            svg.append(text(130 + p95, y + 12, "start", operation.p50Micros() + " / " + operation.p95Micros()));
            y += rowHeight;
        }
        if (operations.isEmpty()) {
            svg.append(text(LEFT, TOP + 12, "start", "no operations recorded yet"));
        }
        return svg.append("</svg>").toString();
    }

    private static void axis(StringBuilder svg, long max, String unit) {
        int bottom = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line stroke=\"#555\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, bottom, WIDTH - 10, bottom));
        svg.append(String.format(Locale.ROOT, "<line stroke=\"#555\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, TOP, LEFT, bottom));
        svg.append(text(LEFT - 6, TOP + 10, "end", max + unit));
        svg.append(text(LEFT - 6, bottom, "end", "0"));
    }

    private static String frame(String title) {
        return frame(title, HEIGHT);
    }

    private static String frame(String title, int height) {
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", WIDTH, height, WIDTH, height)
                + text(LEFT, 16, "start", title).replace("<text ", "<text font-weight=\"bold\" ");
    }

    private static String text(double x, double y, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor,
                escape(content));
    }

    /** XML text: a name or message from the store never becomes markup. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }
}
