package dev.configstore.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the CLI reads durations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, and {@code 0}. */
final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    static Duration parse(String option, String text) {
        if (text.trim().equals("0")) {
            return Duration.ZERO; // zero needs no unit
        }
        Matcher matcher = FORM.matcher(text.trim());
        if (!matcher.matches()) {
            throw new InvalidInput(option + " '" + text + "' is not a duration; accepted forms: 500ms, 30s, 5m, 1h, 2d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
