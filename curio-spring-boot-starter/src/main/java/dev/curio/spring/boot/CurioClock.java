package dev.curio.spring.boot;

/** The clock of the kernel bean ({@code curio.clock}). */
public enum CurioClock {
    /** The real monotonic clock. */
    SYSTEM,
    /** A {@code ManualClock} that moves only by {@code advance(Duration)}: for tests. */
    MANUAL,
    /** A {@code ManualClock} that jumps to the next deadline whenever the kernel is idle: for tests. */
    AUTOJUMP
}
