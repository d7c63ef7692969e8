package dev.curio.time;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Checked conversions of the durations users pass to sleeps and timeouts, with errors that name
 * the argument, and the one format of kernel times in messages (seconds). Durations too long for
 * a {@code long} of nanoseconds become a deadline far in the future rather than an overflow.
 * Stateless.
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
        return saturated(d);
    }

    /** Curio's float seconds in nanoseconds. @throws IllegalArgumentException if NaN, infinite or negative */
    public static long secondsToNanos(double seconds, String what) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) {
            throw new IllegalArgumentException(what + " must be a finite number of seconds >= 0, was " + seconds);
        }
        return (long) Math.min(seconds * 1e9, FOREVER);
    }

    /**
     * A sleep's length in nanoseconds: as Curio's {@code sleep}, a negative one is a sleep of 0
     * (a switch to the next ready task). @throws IllegalArgumentException if null, naming {@code what}
     */
    public static long sleepNanos(Duration d, String what) {
        if (d == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return d.isNegative() ? 0 : saturated(d);
    }

    /** As {@link #sleepNanos(Duration, String)} for float seconds. @throws IllegalArgumentException if NaN or +infinity */
    public static long sleepSecondsToNanos(double seconds, String what) {
        if (seconds <= 0) {
            return 0;
        }
        return secondsToNanos(seconds, what);
    }

    /** Kernel nanoseconds as seconds for messages: {@code 2500000000} is {@code "2.5"}, {@code 0} is {@code "0"}. */
    public static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private static long saturated(Duration d) {
        try {
            return Math.min(d.toNanos(), FOREVER);
        } catch (ArithmeticException e) {
            return FOREVER;
        }
    }
}
