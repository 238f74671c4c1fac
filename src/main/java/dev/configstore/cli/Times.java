package dev.configstore.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** How the CLI reads times: ISO-8601, a date alone meaning its start in UTC. */
final class Times {

    static final String ACCEPTED = "2026-11-22, 2026-11-22T10:15:30Z or 2026-11-22T10:15:30+01:00";

    private Times() {
    }

    static Instant parse(String option, String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInput(option + " '" + text + "' is not a time; accepted forms: " + ACCEPTED);
        }
    }
}
