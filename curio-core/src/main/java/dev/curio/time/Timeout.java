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
 * A scope made with a null duration ({@code Timeout.after(null)}, Curio's
 * {@code timeout_after(None)}) has no deadline of its own: enclosing scopes' timeouts still reach
 * its block and pass through it as they would through any inner scope, and a timeout escaping an
 * inner scope passes through it unchanged, as if the block had been called without it.
 *
 * <p>Only the lambda form exists: Java's {@code close()} cannot see or replace the exception in
 * flight, which these rules need. A scope object is single-use, by the task that calls it.
 */
public final class Timeout {

    private static final System.Logger LOG = System.getLogger(Timeout.class.getName());

    /** A null timeout's place among the task's deadlines: never at or before a timeout's clock. */
    private static final long NO_DEADLINE_OF_ITS_OWN = Long.MAX_VALUE;

    /** Nanoseconds (relative) or a kernel clock (absolute); unused if {@link #none}. */
    private final long amount;
    private final boolean absolute;
    /** A scope without a deadline of its own (a null duration). */
    private final boolean none;
    private final boolean ignore;
    private boolean used;
    private boolean expired;

    private Timeout(long amount, boolean absolute, boolean none, boolean ignore) {
        this.amount = amount;
        this.absolute = absolute;
        this.none = none;
        this.ignore = ignore;
    }

    private static Timeout relative(Duration d, boolean ignore) {
        if (d == null) {
            return new Timeout(0, false, true, ignore);
        }
        return new Timeout(Durations.toNanos(d, "timeout"), false, false, ignore);
    }

    /**
     * A scope that raises {@link TaskTimeout} when {@code d} elapses; with a null {@code d}, a scope
     * with no timeout of its own (enclosing timeouts still apply).
     */
    public static Timeout after(Duration d) {
        return relative(d, false);
    }

    /** A scope that raises {@link TaskTimeout} at kernel clock {@code clock} (nanoseconds). */
    public static Timeout at(long clock) {
        return new Timeout(clock, true, false, false);
    }

    /**
     * A scope that, when {@code d} elapses, abandons its block and returns the timeout result; with
     * a null {@code d}, one with no timeout of its own.
     */
    public static Timeout ignoreAfter(Duration d) {
        return relative(d, true);
    }

    /** As {@link #ignoreAfter}, with an absolute deadline on the kernel clock. */
    public static Timeout ignoreAt(long clock) {
        return new Timeout(clock, true, false, true);
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
        long deadline;
        long prior;
        if (none) {
            // Curio's set_timeout(None): the task's timeout stays as it is.
            deadline = NO_DEADLINE_OF_ITS_OWN;
            me.pushDeadline(deadline);
            prior = me.timeout().orElse(Kernel.NO_DEADLINE);
        } else {
            deadline = absolute ? amount : saturatedAdd(me.kernel().clock().nanos(), amount);
            me.pushDeadline(deadline);
            prior = (Long) Kernel.trap(new Trap.SetTimeout(deadline));
        }
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
            if (!none && now > deadline) {
                LOG.log(System.Logger.Level.WARNING, () -> me + ": operation completed successfully, but it took "
                        + Durations.seconds(now - deadline) + " s longer than its timeout (" + describe()
                        + "): it never reached a blocking operation where the timeout could be delivered");
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
        if (n < 0 && none) {
            throw (Error) e; // transparent: as if the block had been called without this scope
        }
        if (n < 0) {
            throw new UncaughtTimeoutError("Uncaught timeout received: a timeout escaped the scope it belonged to"
                    + " and no enclosing timeout has expired (an inner timeoutAfter lacks a TaskTimeout handler)", e);
        }
        if (n < deadlines.size() - 1) {
            // An outer scope expired, not this one.
            if (e instanceof TaskTimeout) {
                throw keepSuppressed(e, new TimeoutCancellationError(when));
            }
            throw (Error) e;
        }
        expired = true;
        if (ignore) {
            return timeoutResult;
        }
        // The timeout leaves its own scope naming it, whichever form it arrived in.
        String message = "timed out " + describe();
        Duration length = absolute ? null : Duration.ofNanos(amount);
        if (e instanceof TaskTimeout tt) {
            throw tt.claimedBy(message, length);
        }
        throw keepSuppressed(e, new TaskTimeout(when, message, length));
    }

    /** {@code to} in place of {@code from}, with what was attached to it (a {@code PartialIo}). */
    private static <X extends Throwable> X keepSuppressed(Throwable from, X to) {
        for (Throwable s : from.getSuppressed()) {
            to.addSuppressed(s);
        }
        return to;
    }

    /** The scope's timeout for messages: "after 2.5 s", or "at kernel clock 12 s" for a deadline. */
    private String describe() {
        return absolute ? "at kernel clock " + Durations.seconds(amount) + " s"
                : "after " + Durations.seconds(amount) + " s";
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE / 2 : r;
    }
}
