package dev.curio.time;

import java.time.Duration;

/**
 * Checked conversions of the durations users pass to sleeps and timeouts, with errors that name
 * the argument. Durations too long for a {@code long} of nanoseconds become a deadline far in the
 * future rather than an overflow. Stateless.
 */
public final class Durations {

    private static final long FOREVER = Long.MAX_VALUE / 2;

    private Durations() {}

    /** {@code d} in nanoseconds. @throws IllegalArgumentException if null or negative, naming {@code what} */
    public static long toNanos(Duration d, String what) {
        if (d == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + d);
        }
        try {
            return Math.min(d.toNanos(), FOREVER);
        } catch (ArithmeticException e) {
            return FOREVER;
        }
    }

    /** Curio's float seconds in nanoseconds. @throws IllegalArgumentException if NaN, infinite or negative */
    public static long secondsToNanos(double seconds, String what) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) {
            throw new IllegalArgumentException(what + " must be a finite number of seconds >= 0, was " + seconds);
        }
        return (long) Math.min(seconds * 1e9, FOREVER);
    }
}
