package dev.curio.kernel;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when told to, for deterministic tests of sleeps and timeouts
 * (after Trio's {@code MockClock}). With {@linkplain #autojump() autojump}, a kernel that has
 * nothing ready jumps the clock straight to its next deadline, so a test of a ten-minute timeout
 * runs instantly and orderings follow deadlines, not wall time. It does not jump while a task is out
 * of the kernel (blocked by the JDK, see {@link BlockingCalls}): that task is busy in real time. Without it, time moves only by
 * {@link #advance(Duration)}, from any thread.
 *
 * <p>Thread-safe: the time is a volatile field changed under this object's lock.
 */
public final class ManualClock implements KernelClock {

    private volatile long now;
    private final boolean autojump;
    private final CopyOnWriteArrayList<Kernel> kernels = new CopyOnWriteArrayList<>();

    private ManualClock(boolean autojump) {
        this.autojump = autojump;
    }

    /** A clock at 0 that jumps to the next deadline whenever its kernel is idle. */
    public static ManualClock autojump() {
        return new ManualClock(true);
    }

    /** A clock at 0 that moves only through {@link #advance(Duration)}. */
    public static ManualClock manual() {
        return new ManualClock(false);
    }

    @Override
    public long nanos() {
        return now;
    }

    /** Moves the clock forward and wakes the kernels using it so that they look at their deadlines. */
    public void advance(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("advance: duration must be >= 0, was " + d);
        }
        synchronized (this) {
            now += d.toNanos();
        }
        kernels.forEach(Kernel::wakeup);
    }

    @Override
    public long idle(long nextDeadline) {
        if (nextDeadline == Long.MAX_VALUE) {
            return -1;
        }
        if (autojump) {
            synchronized (this) {
                if (nextDeadline > now) {
                    now = nextDeadline;
                }
            }
            return 0;
        }
        return nextDeadline <= now ? 0 : -1;
    }

    /** Never jumps: a task the JDK blocks is busy in real time, and may end or set a deadline. */
    @Override
    public long busy(long nextDeadline) {
        return nextDeadline != Long.MAX_VALUE && nextDeadline <= now ? 0 : -1;
    }

    @Override
    public void attach(Kernel kernel) {
        kernels.addIfAbsent(kernel);
    }

    @Override
    public void detach(Kernel kernel) {
        kernels.remove(kernel);
    }

    @Override
    public String toString() {
        return "ManualClock(now=" + now + "ns" + (autojump ? ", autojump" : "") + ")";
    }
}
