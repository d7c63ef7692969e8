package dev.curio.sync;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for a {@link CompletableFuture} from anywhere: in a task it is a trap (the kernel's
 * future wait, Curio's {@code _future_wait}: cancellable, usable under timeouts, other tasks run
 * meanwhile); in any other thread it blocks that thread. The universal objects are built on it.
 *
 * <p>The rule that keeps hand-overs exact: whoever stops waiting early (a cancelled or timed-out
 * task, a thread whose timeout elapsed or that was interrupted) cancels the future, and if that
 * cancel loses against a completion, the completion wins: the caller returns normally, and in a
 * task the cancellation stays pending and is raised at its next blocking call (as for a task that
 * a lock was handed to just before it was cancelled). A thread keeps its interrupt flag set.
 *
 * <p>Stateless; safe from any thread.
 */
public final class Futures {

    private Futures() {}

    /**
     * Waits for {@code stage} and returns its value, or throws its failure (unchecked exceptions and
     * errors as they are, a checked exception wrapped in a {@link java.util.concurrent.CompletionException}).
     * As in Curio, a task cancelled while waiting cancels the future ({@code toCompletableFuture()}
     * of the stage); so does an interrupted thread, which then gets a {@link CancellationException}.
     */
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        CompletableFuture<T> f = stage.toCompletableFuture();
        awaitHandOff(f, null);
        return outcome(f);
    }

    /**
     * Waits until {@code f} is done or {@code timeout} elapses (null: no limit; in a task on the
     * kernel clock, elsewhere in real time). Returns true if {@code f} completed, false if the
     * timeout elapsed first, in which case {@code f} has been cancelled. A cancelled task gets its
     * cancellation unless {@code f} completed first (see the class comment).
     *
     * @throws CancellationException in a thread interrupted before {@code f} completed
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static boolean awaitHandOff(CompletableFuture<?> f, Duration timeout) {
        Objects.requireNonNull(f, "future");
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
        }
        Task<?> me = Kernel.currentTask();
        if (me != null) {
            if (timeout == null) {
                taskWait(me, f);
                return true;
            }
            Boolean done = Curio.ignoreAfter(timeout, () -> {
                taskWait(me, f);
                return Boolean.TRUE;
            });
            return done != null;
        }
        return threadWait(f, timeout);
    }

    private static void taskWait(Task<?> me, CompletableFuture<?> f) {
        try {
            Kernel.trap(new Trap.FutureWait(f));
        } catch (CancelledError e) {
            // The kernel cancels the future when it delivers a cancellation to a waiting task; it
            // may also have raised a pending one before waiting at all, so cancel here too.
            f.cancel(false);
            if (f.isCancelled()) {
                throw e;
            }
            // The completion won: keep the cancellation for the next blocking call, but never in
            // place of one already pending (a TaskCancelled that arrived meanwhile must not be
            // replaced by a TaskTimeout, which the timeout scope would then discard).
            if (me.cancelPending() == null) {
                me.setCancelPending(e);
            }
        }
    }

    private static boolean threadWait(CompletableFuture<?> f, Duration timeout) {
        try {
            if (timeout == null) {
                f.get();
            } else {
                f.get(toNanos(timeout), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (ExecutionException | CancellationException e) {
            return true;
        } catch (TimeoutException e) {
            f.cancel(false);
            return !f.isCancelled();
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            if (f.isCancelled()) {
                CancellationException ce = new CancellationException("interrupted while waiting");
                ce.initCause(e);
                throw ce;
            }
            return true;
        }
    }

    /** The value of a completed future, or its failure thrown as {@link #await} documents. */
    static <T> T outcome(CompletableFuture<T> f) {
        return switch (f.state()) {
            case SUCCESS -> f.resultNow();
            case FAILED -> throw Result.rethrow(f.exceptionNow());
            case CANCELLED -> throw new CancellationException("future was cancelled");
            case RUNNING -> throw new IllegalStateException("future not completed");
        };
    }

    private static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
