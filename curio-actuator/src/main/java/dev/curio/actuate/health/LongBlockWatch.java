package dev.curio.actuate.health;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import dev.curio.spring.boot.metrics.LongBlockWatchdog;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A scheduler activation that watches how long tasks hold the kernel, for health: the task
 * holding it now (a block still going on), the last cycle that held it longer than the threshold,
 * and how many did.
 *
 * <p>Per cycle it reads no clock: a {@link LongBlockWatchdog} (the one the metrics use for
 * {@code curio.scheduler.long.blocks}) notes the holder and a cycle number, and its thread
 * {@code curio-<kernel>-health-watchdog} (a platform daemon ended with the kernel) looks every
 * quarter of the threshold. So holds are measured to within a quarter of the threshold, and a
 * block is counted when it lasts the threshold plus up to one look. (Two clock reads per cycle
 * cost a third of a task switch: 52 ns on a 168 ns switch, measured.)
 *
 * <p>Threads: the activation methods run on the thread holding the kernel; the readers on any
 * thread (see {@link LongBlockWatchdog}).
 */
public final class LongBlockWatch implements Activation {

    /** A task that held (or holds) the kernel longer than the threshold. */
    public record Block(long taskId, String taskName, Duration held, String where) {}

    private final LongBlockWatchdog watchdog;
    /** False for a watch built with a ticker: no thread, the test calls {@link #check()}. */
    private final boolean ownThread;
    private volatile Kernel kernel;

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

    private LongBlockWatch(Duration threshold, LongSupplier ticker, boolean ownThread) {
        this.watchdog = new LongBlockWatchdog(threshold, ticker);
        this.ownThread = ownThread;
    }

    // ---- activation: the thread holding the kernel ----

    @Override
    public void activate(Kernel k) {
        kernel = k;
        if (ownThread) {
            watchdog.start(k, "curio-" + k.name() + "-health-watchdog");
        }
    }

    @Override
    public void running(Task<?> task) {
        watchdog.running(task);
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        watchdog.suspended();
    }

    /**
     * Looks at the kernel now, as the watchdog does every quarter of the threshold. Only for a
     * watch built with a ticker (its watchdog thread calls it otherwise), from one thread at a time.
     */
    public void check() {
        watchdog.check();
    }

    // ---- readers: any thread ----

    /** The kernel this watch is an activation of, or null if none has run with it. */
    public Kernel kernel() {
        return kernel;
    }

    public Duration threshold() {
        return watchdog.threshold();
    }

    /** The task holding the kernel now, if it has held it longer than the threshold; else null. */
    public Block ongoing() {
        return ongoing(threshold());
    }

    /**
     * The task holding the kernel now, if it has held it longer than {@code atLeast} (since the
     * watchdog first saw its cycle), with where it is; else null.
     */
    public Block ongoing(Duration atLeast) {
        LongBlockWatchdog.Hold h = watchdog.ongoing(atLeast);
        if (h == null) {
            return null;
        }
        StackTraceElement w = h.task().where();
        return block(h, w == null ? null : w.toString());
    }

    /** The last finished cycle that held the kernel longer than the threshold, or null. */
    public Block last() {
        LongBlockWatchdog.Hold h = watchdog.last();
        return h == null ? null : block(h, null);
    }

    /** How many cycles held the kernel longer than the threshold (counted while they last). */
    public long count() {
        return watchdog.count();
    }

    private static Block block(LongBlockWatchdog.Hold h, String where) {
        return new Block(h.task().id(), h.task().name(), Duration.ofNanos(h.nanos()), where);
    }
}
