package dev.curio.kernel;

/**
 * The kernel's monotonic clock, in nanoseconds. {@link #SYSTEM} follows {@link System#nanoTime()};
 * {@link ManualClock} lets tests control time.
 *
 * <p>Implementations must be safe to read from any thread.
 */
public interface KernelClock {

    /** Current time in nanoseconds; never decreases. */
    long nanos();

    /**
     * Called by an idle kernel (nothing ready) before it blocks; returns how long, in real
     * nanoseconds, it may block waiting for I/O or wake-ups, given the next deadline on this
     * clock ({@link Long#MAX_VALUE} if none). A negative answer means "until woken".
     */
    long idle(long nextDeadline);

    /**
     * Called instead of {@link #idle} when nothing is ready but some tasks are out of the kernel
     * (the JDK blocks them, see {@link BlockingCalls}): they are busy in real time, so a clock that
     * jumps to the next deadline when the kernel is idle must not jump now. By default the same
     * as {@link #idle}.
     */
    default long busy(long nextDeadline) {
        return idle(nextDeadline);
    }

    /** Called once per kernel that uses this clock, so that the clock can wake it when time moves. */
    default void attach(Kernel kernel) {}

    /** Undoes {@link #attach}. */
    default void detach(Kernel kernel) {}

    /** The real monotonic clock, with values counted from the start of this JVM's use of Curio. */
    KernelClock SYSTEM = new KernelClock() {
        private final long origin = System.nanoTime();

        @Override
        public long nanos() {
            return System.nanoTime() - origin;
        }

        @Override
        public long idle(long nextDeadline) {
            if (nextDeadline == Long.MAX_VALUE) {
                return -1;
            }
            return Math.max(0, nextDeadline - nanos());
        }

        @Override
        public String toString() {
            return "SystemClock";
        }
    };
}
