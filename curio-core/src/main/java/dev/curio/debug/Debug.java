package dev.curio.debug;

import java.time.Duration;

/**
 * The debugging activations by Curio's names, for {@code Kernel.builder().activations(...)}:
 * <pre>{@code Kernel.builder().activations(Debug.schedtrace().filter("kid"), Debug.longblock(Duration.ofMillis(100)))}</pre>
 */
public final class Debug {

    private Debug() {}

    public static SchedTrace schedtrace() {
        return new SchedTrace();
    }

    public static TrapTrace traptrace() {
        return new TrapTrace();
    }

    public static LogCrash logcrash() {
        return new LogCrash();
    }

    public static LongBlock longblock() {
        return new LongBlock();
    }

    public static LongBlock longblock(Duration maxTime) {
        return new LongBlock(maxTime);
    }
}
