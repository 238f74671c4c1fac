package dev.configstore.internal.db;

import java.time.Duration;
import java.util.Objects;

/** The builder's range checks, each failing with "NAME must be RANGE, was VALUE". */
public final class Ranges {

    private Ranges() {
    }

    public static int within(String name, int value, int min, int max) {
        return (int) within(name, (long) value, min, max);
    }

    public static long within(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** {@code value} within [min, max], or zero when {@code zeroAllowed}; {@code range} says so in the message. */
    public static Duration within(String name, Duration value, Duration min, Duration max, boolean zeroAllowed,
                                  String range) {
        Objects.requireNonNull(value, name);
        if (!(zeroAllowed && value.isZero()) && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            throw new IllegalArgumentException(name + " must be " + range + ", was " + value);
        }
        return value;
    }
}
