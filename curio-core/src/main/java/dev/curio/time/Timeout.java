package dev.curio.time;

import dev.curio.Block;
import dev.curio.TaskTimeout;
import dev.curio.TimeoutCancellationError;
import dev.curio.UncaughtTimeoutError;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import java.time.Duration;
import java.util.List;

/**
 * A timeout scope around a block of task code (Curio's {@code timeout_after}, {@code timeout_at},
 * {@code ignore_after}, {@code ignore_at}). Scopes nest, and a timeout is paired with the scope
 * that set it:
 * <ul>
 *   <li>the scope whose deadline expired sees {@link TaskTimeout} (or, for an ignoring scope,
 *       returns its timeout result and reports {@link #expired()});</li>
 *   <li>scopes inside it see {@link TimeoutCancellationError}: they are being cancelled because
 *       of a timeout that is not theirs;</li>
 *   <li>a {@code TaskTimeout} that reaches a scope none of whose enclosing deadlines expired
 *       becomes {@link UncaughtTimeoutError}: an inner scope lacked a handler.</li>
 * </ul>
 * Only the lambda form exists: Java's {@code close()} cannot see or replace the exception in
 * flight, which these rules need. A scope object is single-use.
 */
public final class Timeout {

    private static final System.Logger LOG = System.getLogger(Timeout.class.getName());

    private final long amount;
    private final boolean absolute;
    private final boolean ignore;
    private boolean used;
    private boolean expired;

    private Timeout(long amount, boolean absolute, boolean ignore) {
        this.amount = amount;
        this.absolute = absolute;
        this.ignore = ignore;
    }

    /** A scope that raises {@link TaskTimeout} when {@code d} elapses. */
    public static Timeout after(Duration d) {
        return new Timeout(Durations.toNanos(d, "timeout"), false, false);
    }

    /** A scope that raises {@link TaskTimeout} at kernel clock {@code clock} (nanoseconds). */
    public static Timeout at(long clock) {
        return new Timeout(clock, true, false);
    }

    /** A scope that, when {@code d} elapses, abandons its block and returns the timeout result. */
    public static Timeout ignoreAfter(Duration d) {
        return new Timeout(Durations.toNanos(d, "timeout"), false, true);
    }

    /** As {@link #ignoreAfter}, with an absolute deadline on the kernel clock. */
    public static Timeout ignoreAt(long clock) {
        return new Timeout(clock, true, true);
    }

    /** Whether this scope's own deadline expired (set once the block has returned or thrown). */
    public boolean expired() {
        return expired;
    }

    /** Runs {@code body} under this scope; an ignoring scope returns null when it expires. */
    public <T, E extends Exception> T call(Block<T, E> body) throws E {
        return call(body, null);
    }

    /** Runs {@code body} under this scope; an ignoring scope returns {@code timeoutResult} when it expires. */
    public <T, E extends Exception> T call(Block<T, E> body, T timeoutResult) throws E {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        if (used) {
            throw new IllegalStateException("a Timeout scope can be used once; create a new one");
        }
        used = true;
        Task<?> me = Kernel.currentTask();
        if (me == null) {
            throw new dev.curio.AsyncOnlyError("timeouts must be used inside a Curio task");
        }
        long deadline = absolute ? amount : saturatedAdd(me.kernel().clock().nanos(), amount);
        me.pushDeadline(deadline);
        long prior = (Long) Kernel.trap(new Trap.SetTimeout(deadline));
        try {
            T value;
            try {
                value = body.call();
            } catch (TaskTimeout | TimeoutCancellationError e) {
                Kernel.trap(new Trap.UnsetTimeout(prior));
                long when = e instanceof TaskTimeout tt ? tt.clock() : ((TimeoutCancellationError) e).clock();
                return onTimeout(me.deadlineScopes(), when, e, timeoutResult);
            } catch (Throwable t) {
                Kernel.trap(new Trap.UnsetTimeout(prior));
                throw t;
            }
            long now = (Long) Kernel.trap(new Trap.UnsetTimeout(prior));
            if (now > deadline) {
                LOG.log(System.Logger.Level.WARNING, () -> me + ": operation completed successfully, but it took"
                        + " longer than an enclosing timeout. Badness delta=" + (now - deadline) + "ns");
            }
            return value;
        } finally {
            me.popDeadline();
        }
    }

    private <T> T onTimeout(List<Long> deadlines, long when, Throwable e, T timeoutResult) {
        int n = -1;
        for (int i = 0; i < deadlines.size(); i++) {
            if (deadlines.get(i) <= when) {
                n = i;
                break;
            }
        }
        if (n < 0) {
            throw new UncaughtTimeoutError("Uncaught timeout received", e);
        }
        if (n < deadlines.size() - 1) {
            // An outer scope expired, not this one.
            if (e instanceof TaskTimeout) {
                TimeoutCancellationError tce = new TimeoutCancellationError(when);
                tce.setStackTrace(e.getStackTrace());
                throw tce;
            }
            throw (Error) e;
        }
        expired = true;
        if (ignore) {
            return timeoutResult;
        }
        if (e instanceof TimeoutCancellationError) {
            TaskTimeout tt = new TaskTimeout(when);
            tt.setStackTrace(e.getStackTrace());
            throw tt;
        }
        throw (Error) e;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE / 2 : r;
    }
}
