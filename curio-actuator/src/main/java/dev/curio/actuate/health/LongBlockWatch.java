package dev.curio.actuate.health;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A scheduler activation that watches how long each task holds the kernel in one cycle: the task
 * holding it now (a block still going on), the last cycle that held it longer than the threshold,
 * and how many did.
 *
 * <p>Threads: the activation methods run on the thread holding the kernel, one at a time; they
 * write volatile fields (the start is written before the holder, so a reader that sees a holder
 * sees its start or a later one). Health checks read them from any thread; a racy read can only
 * under-estimate a hold or report a block that ended a moment ago. Per cycle: two ticker reads,
 * nothing allocated unless the cycle was a long block.
 */
public final class LongBlockWatch implements Activation {

    /** A task that held (or holds) the kernel longer than the threshold. */
    public record Block(long taskId, String taskName, Duration held, String where) {}

    private final long thresholdNanos;
    private final LongSupplier ticker;
    private final LongAdder blocks = new LongAdder();
    private volatile Kernel kernel;
    private volatile long holdStart;
    private volatile Task<?> holder;
    private volatile Block last;

    /** Measures real time ({@link System#nanoTime()}). */
    public LongBlockWatch(Duration threshold) {
        this(threshold, System::nanoTime);
    }

    /** Measures with {@code ticker} (nanoseconds), for tests. */
    public LongBlockWatch(Duration threshold, LongSupplier ticker) {
        if (threshold == null || threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("threshold must be positive, was " + threshold);
        }
        if (ticker == null) {
            throw new IllegalArgumentException("ticker must not be null");
        }
        this.thresholdNanos = threshold.toNanos();
        this.ticker = ticker;
    }

    // ---- activation: the thread holding the kernel ----

    @Override
    public void activate(Kernel k) {
        kernel = k;
    }

    @Override
    public void running(Task<?> task) {
        holdStart = ticker.getAsLong();
        holder = task;
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        long held = ticker.getAsLong() - holdStart;
        holder = null;
        if (held > thresholdNanos) {
            blocks.increment();
            last = new Block(task.id(), task.name(), Duration.ofNanos(held), null);
        }
    }

    // ---- readers: any thread ----

    /** The kernel this watch is an activation of, or null if none has run with it. */
    public Kernel kernel() {
        return kernel;
    }

    public Duration threshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    /** The task holding the kernel now, if it has held it longer than the threshold; else null. */
    public Block ongoing() {
        return ongoing(threshold());
    }

    /** The task holding the kernel now, if it has held it longer than {@code atLeast}; else null. */
    public Block ongoing(Duration atLeast) {
        long bound = atLeast.toNanos();
        Task<?> h = holder;
        if (h == null) {
            return null;
        }
        long held = ticker.getAsLong() - holdStart;
        if (held <= bound || holder != h) {
            return null;
        }
        StackTraceElement w = h.where();
        return new Block(h.id(), h.name(), Duration.ofNanos(held), w == null ? null : w.toString());
    }

    /** The last finished cycle that held the kernel longer than the threshold, or null. */
    public Block last() {
        return last;
    }

    /** How many finished cycles held the kernel longer than the threshold. */
    public long count() {
        return blocks.sum();
    }
}
