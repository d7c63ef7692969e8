package dev.curio.spring.boot.metrics;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Sees tasks holding a kernel longer than a threshold without reading a clock per cycle: the
 * activation that owns it reports each cycle's start ({@link #running}) and end
 * ({@link #suspended}), which store the holder and bump a cycle number (odd while a cycle runs),
 * and a watchdog thread looks every quarter of the threshold (1 ms to 1 s). A cycle it sees again
 * past the threshold since it first saw it is a long block, counted once while it lasts. So holds
 * are measured to within one look, and a block is counted when it lasts the threshold plus up to
 * one look. Used by the metrics ({@code curio.scheduler.long.blocks}) and by health's
 * {@code LongBlockWatch}.
 *
 * <p>Threads: {@link #running} and {@link #suspended} run on the thread holding the kernel, the
 * only writer of the holder and the cycle number (release stores, read with acquire loads). The
 * watchdog thread (or, in tests, whoever calls {@link #check()}, one caller at a time) is the
 * only writer of what it has seen, the last block and the count, published through volatile
 * fields; any thread reads them.
 */
public final class LongBlockWatchdog {

    /** A task that held (or holds) the kernel, and for how long, in nanoseconds. */
    public record Hold(Task<?> task, long nanos) {}

    /** The cycle in progress as the watchdog first saw it, and whether it was counted. */
    private record Seen(long seq, Task<?> task, long since, boolean counted) {}

    private static final VarHandle SEQ;
    private static final VarHandle HOLDER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SEQ = l.findVarHandle(LongBlockWatchdog.class, "seq", long.class);
            HOLDER = l.findVarHandle(LongBlockWatchdog.class, "holder", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long thresholdNanos;
    private final LongSupplier ticker;

    // ---- kernel-written ----
    @SuppressWarnings("unused") // through SEQ
    private long seq;
    @SuppressWarnings("unused") // through HOLDER
    private Task<?> holder;

    // ---- watchdog-written ----
    private volatile @Nullable Seen seen;
    private volatile @Nullable Hold last;
    private volatile long blocks;

    /**
     * @param threshold how long a hold must last to be a long block; positive
     * @param ticker the clock the watchdog reads (nanoseconds): {@code System::nanoTime}, or a
     *        test's
     */
    public LongBlockWatchdog(Duration threshold, LongSupplier ticker) {
        if (threshold == null || threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("threshold must be positive, was " + threshold);
        }
        if (ticker == null) {
            throw new IllegalArgumentException("ticker must not be null");
        }
        this.thresholdNanos = threshold.toNanos();
        this.ticker = ticker;
    }

    public Duration threshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    /**
     * Starts a platform daemon thread named {@code threadName} that calls {@link #check()} every
     * quarter of the threshold until {@code kernel} shuts down.
     */
    public void start(Kernel kernel, String threadName) {
        long period = Math.clamp(thresholdNanos / 4, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1));
        AtomicBoolean stopped = new AtomicBoolean(); // this thread's own: a watchdog started again has another
        Thread t = Thread.ofPlatform().name(threadName).daemon(true).unstarted(() -> {
            while (!stopped.get()) {
                LockSupport.parkNanos(this, period);
                check();
            }
        });
        kernel.onShutdown(() -> {
            stopped.set(true);
            LockSupport.unpark(t);
        });
        t.start();
    }

    // ---- the holder ----

    /** A cycle of {@code task} starts. */
    public void running(Task<?> task) {
        HOLDER.setOpaque(this, task);
        SEQ.setRelease(this, ((long) SEQ.getOpaque(this) + 2) | 1);
    }

    /** The cycle ends. */
    public void suspended() {
        SEQ.setRelease(this, (long) SEQ.getOpaque(this) & ~1L);
    }

    // ---- the watchdog ----

    /**
     * Looks at the kernel now: notes the cycle in progress, counts it once it has been seen for
     * longer than the threshold, and records it as the last long block once it has ended.
     */
    public void check() {
        long now = ticker.getAsLong();
        long q = (long) SEQ.getAcquire(this);
        Seen s = seen;
        if (s != null && s.seq != q && s.counted) {
            last = new Hold(s.task, now - s.since);
        }
        if ((q & 1) == 0) {
            seen = null; // between cycles: idle, or switching
        } else if (s == null || s.seq != q) {
            seen = new Seen(q, (Task<?>) HOLDER.getOpaque(this), now, false);
        } else if (!s.counted && now - s.since > thresholdNanos) {
            blocks++;
            seen = new Seen(q, s.task, s.since, true);
        }
    }

    // ---- readers: any thread ----

    /**
     * The task holding the kernel now, if it has held it longer than {@code atLeast} since the
     * watchdog first saw its cycle; else null.
     */
    public @Nullable Hold ongoing(Duration atLeast) {
        Seen s = seen;
        if (s == null || (long) SEQ.getAcquire(this) != s.seq) {
            return null;
        }
        long held = ticker.getAsLong() - s.since;
        return held > atLeast.toNanos() ? new Hold(s.task, held) : null;
    }

    /** The last finished long block, or null. */
    public @Nullable Hold last() {
        return last;
    }

    /** How many cycles held the kernel longer than the threshold (counted while they last). */
    public long count() {
        return blocks;
    }
}
