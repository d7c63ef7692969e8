package dev.curio.actuate.health;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A scheduler activation that watches how long tasks hold the kernel: the task holding it now (a
 * block still going on), the last cycle that held it longer than the threshold, and how many did.
 *
 * <p>Per cycle the activation reads no clock: it stores the holder and bumps a cycle sequence (odd
 * while a cycle runs). A watchdog thread ({@code curio-<kernel>-health-watchdog}, a platform
 * daemon ended with the kernel) looks every quarter of the threshold (1 ms to 1 s): a cycle it
 * sees again past the threshold since it first saw it is a long block, counted once. So holds are
 * measured to within one look (a quarter of the threshold), and a block is counted when it lasts
 * the threshold plus up to one look, as {@code curio.scheduler.long.blocks} counts them. (Two clock
 * reads per cycle cost a third of a task switch: 52 ns on a 168 ns switch, measured.)
 *
 * <p>Threads: {@link #running} and {@link #suspended} run on the thread holding the kernel, the
 * only writer of the holder and the sequence (release stores, read with acquire loads). The
 * watchdog (or, for a watch built with a ticker, whoever calls {@link #check()}, one caller at a
 * time) is the only writer of what it has seen, the last block and the count, published through
 * volatile fields; health checks read them from any thread.
 */
public final class LongBlockWatch implements Activation {

    /** A task that held (or holds) the kernel longer than the threshold. */
    public record Block(long taskId, String taskName, Duration held, String where) {}

    /** The cycle in progress as the watchdog first saw it, and whether it was counted. */
    private record Seen(long seq, Task<?> task, long since, boolean counted) {}

    private static final VarHandle SEQ;
    private static final VarHandle HOLDER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SEQ = l.findVarHandle(LongBlockWatch.class, "seq", long.class);
            HOLDER = l.findVarHandle(LongBlockWatch.class, "holder", Task.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long thresholdNanos;
    private final LongSupplier ticker;
    /** False for a watch built with a ticker: no thread, the test calls {@link #check()}. */
    private final boolean watchdog;
    private volatile Kernel kernel;

    // ---- kernel-written ----
    @SuppressWarnings("unused") // through SEQ
    private long seq;
    @SuppressWarnings("unused") // through HOLDER
    private Task<?> holder;

    // ---- watchdog-written ----
    private volatile Seen seen;
    private volatile Block last;
    private volatile long blocks;
    private volatile boolean stopped;

    /** Measures real time ({@link System#nanoTime()}), looked at by a watchdog thread of its own. */
    public LongBlockWatch(Duration threshold) {
        this(threshold, System::nanoTime, true);
    }

    /**
     * Measures with {@code ticker} (nanoseconds), for tests: no watchdog thread is started, the
     * test calls {@link #check()} where the watchdog would look.
     */
    public LongBlockWatch(Duration threshold, LongSupplier ticker) {
        this(threshold, ticker, false);
    }

    private LongBlockWatch(Duration threshold, LongSupplier ticker, boolean watchdog) {
        if (threshold == null || threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("threshold must be positive, was " + threshold);
        }
        if (ticker == null) {
            throw new IllegalArgumentException("ticker must not be null");
        }
        this.thresholdNanos = threshold.toNanos();
        this.ticker = ticker;
        this.watchdog = watchdog;
    }

    // ---- activation: the thread holding the kernel ----

    @Override
    public void activate(Kernel k) {
        kernel = k;
        if (watchdog) {
            long period = Math.clamp(thresholdNanos / 4, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1));
            Thread t = Thread.ofPlatform().name("curio-" + k.name() + "-health-watchdog").daemon(true).start(() -> {
                while (!stopped) {
                    LockSupport.parkNanos(this, period);
                    check();
                }
            });
            k.onShutdown(() -> {
                stopped = true;
                LockSupport.unpark(t);
            });
        }
    }

    @Override
    public void running(Task<?> task) {
        HOLDER.setOpaque(this, task);
        SEQ.setRelease(this, ((long) SEQ.getOpaque(this) + 2) | 1);
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        SEQ.setRelease(this, (long) SEQ.getOpaque(this) & ~1L);
    }

    // ---- the watchdog ----

    /**
     * Looks at the kernel now, as the watchdog does every quarter of the threshold: notes the cycle
     * in progress, counts it once it has been seen for longer than the threshold, and records it
     * as the last long block once it has ended. Only for a watch built with a ticker (its watchdog
     * thread calls it otherwise), from one thread at a time.
     */
    public void check() {
        long now = ticker.getAsLong();
        long q = (long) SEQ.getAcquire(this);
        Seen s = seen;
        if (s != null && s.seq != q && s.counted) {
            last = new Block(s.task.id(), s.task.name(), Duration.ofNanos(now - s.since), null);
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

    /**
     * The task holding the kernel now, if it has held it longer than {@code atLeast} (since the
     * watchdog first saw its cycle); else null.
     */
    public Block ongoing(Duration atLeast) {
        Seen s = seen;
        if (s == null || (long) SEQ.getAcquire(this) != s.seq) {
            return null;
        }
        long held = ticker.getAsLong() - s.since;
        if (held <= atLeast.toNanos()) {
            return null;
        }
        StackTraceElement w = s.task.where();
        return new Block(s.task.id(), s.task.name(), Duration.ofNanos(held), w == null ? null : w.toString());
    }

    /** The last finished cycle that held the kernel longer than the threshold, or null. */
    public Block last() {
        return last;
    }

    /** How many cycles held the kernel longer than the threshold (counted while they last). */
    public long count() {
        return blocks;
    }
}
