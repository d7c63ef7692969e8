package dev.curio.spring.boot.metrics;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A kernel's Micrometer metrics, taken by a scheduler activation (ARCHITECTURE.md §4), built to
 * cost little on the task switch (README: measured with {@code TaskSwitchCost}).
 *
 * <p>Per cycle the kernel pays two stores and a countdown: no clock read, no allocation, no
 * atomic, no Micrometer call. Hold times are timed on a sample of cycles (about one in
 * {@value #DEFAULT_SAMPLE_STRIDE}, at pseudo-random strides so that no periodic pattern of tasks
 * is always or never sampled), because one {@code System.nanoTime} costs about as much as a
 * tenth of a switch. Long blocks do not depend on the sample: a watchdog thread, waking every
 * quarter of the threshold, sees a cycle that stays in progress past the threshold and counts it
 * once; it also feeds the hold maximum.
 *
 * <p>Threads and their fields. The activation methods run on whichever thread holds the kernel,
 * one at a time with a happens-before edge at each hand-off: they are the single writer of the
 * "kernel-written" fields, written plainly or, where another thread reads them, with opaque
 * stores (a plain store on x86, but never torn and never hoisted away). The watchdog thread is
 * the single writer of the "watchdog-written" fields. Registry threads only read, with opaque
 * loads; a scrape may see one field a few updates behind another, which a gauge tolerates.
 * System tasks ({@link Task#system()}: the kernel's own machinery) are left out of the task
 * counts and the state census; their cycles count in the scheduler metrics, since they hold the
 * kernel like any task. Every meter is tagged {@code kernel=<name>}; none by task id or name.
 */
public final class CurioKernelMetrics implements Activation, MeterBinder {

    /** Mean stride between timed cycles. */
    static final int DEFAULT_SAMPLE_STRIDE = 32;

    /** The hold maximum covers the last one to two windows. */
    static final long MAX_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final VarHandle LONG;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            LONG = MethodHandles.lookup().findVarHandle(Cell.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String kernelName;
    private final long longBlockNanos;
    private final int sampleStride;
    private final Tags tags;
    private final TaskStateCensus census = new TaskStateCensus(this::kernel);
    private volatile Kernel kernel;
    private volatile Watchdog watchdog;

    // ---- kernel-written (opaque where read elsewhere) ----
    /** Odd while a cycle runs: the watchdog tells cycles apart by it. */
    private final Cell cycleSeq = new Cell();
    private final Cell cycles = new Cell();
    private final Cell created = new Cell();
    private final long[] terminated = new long[TaskOutcome.values().length];
    /**
     * The hold timers of the registries this is bound to (a sample of the cycles is recorded,
     * so that a percentile histogram costs the task switch almost nothing). Copy-on-write: bound
     * on a registry's thread, read by the kernel's holder.
     */
    private final java.util.concurrent.CopyOnWriteArrayList<Timer> holdTimers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final WindowMax sampledMax = new WindowMax();
    private int untilSample;
    private long sampleStart;
    private int random = 0x9E3779B9;

    public CurioKernelMetrics(String kernelName, Duration longBlockThreshold) {
        this(kernelName, longBlockThreshold, DEFAULT_SAMPLE_STRIDE);
    }

    /** {@code sampleStride} 1 times every cycle (for tests and the cost harness). */
    CurioKernelMetrics(String kernelName, Duration longBlockThreshold, int sampleStride) {
        if (kernelName == null || kernelName.isBlank()) {
            throw new IllegalArgumentException("kernelName must not be blank");
        }
        if (longBlockThreshold == null || longBlockThreshold.isNegative() || longBlockThreshold.isZero()) {
            throw new IllegalArgumentException("longBlockThreshold must be positive, was " + longBlockThreshold);
        }
        if (sampleStride < 1) {
            throw new IllegalArgumentException("sampleStride must be >= 1, was " + sampleStride);
        }
        this.kernelName = kernelName;
        this.longBlockNanos = longBlockThreshold.toNanos();
        this.sampleStride = sampleStride;
        this.untilSample = 1;
        this.tags = Tags.of("kernel", kernelName);
    }

    // ---- activation: the kernel's holder ----

    @Override
    public void activate(Kernel k) {
        this.kernel = k;
        Watchdog w = new Watchdog(this, k.name());
        this.watchdog = w;
        w.thread.start();
        k.onShutdown(w::stop);
    }

    @Override
    public void created(Task<?> task) {
        if (!task.system()) {
            created.add(1);
        }
    }

    @Override
    public void running(Task<?> task) {
        Cell s = cycleSeq;
        LONG.setOpaque(s, (s.value + 2) | 1);
        cycles.add(1);
        if (--untilSample == 0) {
            untilSample = nextStride();
            sampleStart = System.nanoTime();
        }
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        Cell s = cycleSeq;
        LONG.setOpaque(s, s.value & ~1L);
        if (sampleStart != 0) {
            long now = System.nanoTime();
            long held = now - sampleStart;
            sampleStart = 0;
            for (Timer t : holdTimers) {
                t.record(held, TimeUnit.NANOSECONDS);
            }
            sampledMax.record(now, held);
        }
    }

    @Override
    public void terminated(Task<?> task) {
        if (!task.system()) {
            int i = TaskOutcome.of(task).ordinal();
            LONGS.setOpaque(terminated, i, terminated[i] + 1);
        }
    }

    /** 1 when every cycle is timed; else uniform in [stride/2, 3*stride/2): mean {@code sampleStride}. */
    private int nextStride() {
        if (sampleStride == 1) {
            return 1;
        }
        int x = random;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        random = x;
        return sampleStride / 2 + Math.floorMod(x, sampleStride);
    }

    // ---- binding: a registry's thread ----

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("curio.tasks.created", created, Cell::read)
                .description("Tasks created (the kernel's own tasks left out)").baseUnit(BaseUnits.TASKS)
                .tags(tags).register(registry);
        for (TaskOutcome o : TaskOutcome.values()) {
            FunctionCounter.builder("curio.tasks.terminated", this, m -> m.terminated(o))
                    .description("Tasks terminated, by outcome").baseUnit(BaseUnits.TASKS)
                    .tags(tags).tag("outcome", o.tag()).register(registry);
        }
        Gauge.builder("curio.tasks.active", this, CurioKernelMetrics::activeTasks)
                .description("Tasks not yet terminated (the kernel's own tasks left out)").baseUnit(BaseUnits.TASKS)
                .tags(tags).strongReference(true).register(registry);
        for (int i = 0; i < TaskStateCensus.STATES.size(); i++) {
            int state = i;
            Gauge.builder("curio.tasks.state", census, c -> c.count(state))
                    .description("Tasks not yet terminated, by state").baseUnit(BaseUnits.TASKS)
                    .tags(tags).tag("state", TaskStateCensus.STATES.get(i))
                    .strongReference(true).register(registry);
        }
        Gauge.builder("curio.ready.queue", this, CurioKernelMetrics::readyTasks)
                .description("Tasks in the kernel's ready queue").baseUnit(BaseUnits.TASKS).tags(tags)
                .strongReference(true).register(registry);
        FunctionCounter.builder("curio.scheduler.cycles", cycles, Cell::read)
                .description("Execution cycles of tasks (each a hold of the kernel)").baseUnit("cycles")
                .tags(tags).register(registry);
        FunctionCounter.builder("curio.scheduler.long.blocks", this, CurioKernelMetrics::longBlocks)
                .description("Cycles that held the kernel longer than curio.long-block-threshold")
                .baseUnit("blocks").tags(tags).register(registry);
        holdTimers.add(Timer.builder("curio.scheduler.hold")
                .description("Time a task held the kernel in one cycle, on a sample of the cycles (about 1 in "
                        + sampleStride + ")")
                .tags(tags).register(registry));
        TimeGauge.builder("curio.scheduler.hold.max", this, TimeUnit.NANOSECONDS, CurioKernelMetrics::holdMaxNanos)
                .description("Longest hold of the kernel seen in the last one to two minutes")
                .tags(tags).strongReference(true).register(registry);
    }

    private Kernel kernel() {
        return kernel;
    }

    private double terminated(TaskOutcome o) {
        return (long) LONGS.getOpaque(terminated, o.ordinal());
    }

    private double activeTasks() {
        long done = 0;
        for (int i = 0; i < terminated.length; i++) {
            done += (long) LONGS.getOpaque(terminated, i);
        }
        return Math.max(0, created.read() - done); // terminations read first: never below the truth
    }

    private double readyTasks() {
        Kernel k = kernel;
        return k == null ? 0 : k.readyCount();
    }

    private double longBlocks() {
        Watchdog w = watchdog;
        return w == null ? 0 : w.longBlocks.read();
    }

    double holdMaxNanos() {
        long now = System.nanoTime();
        Watchdog w = watchdog;
        return Math.max(sampledMax.read(now), w == null ? 0 : w.max.read(now));
    }

    public String kernelName() {
        return kernelName;
    }

    /** A long written by one thread with opaque stores and read by others with opaque loads. */
    static final class Cell {
        long value;

        double read() {
            return (long) LONG.getOpaque(this);
        }

        /** Adds {@code n}; only the cell's single writer may call it. */
        void add(long n) {
            LONG.setOpaque(this, value + n);
        }
    }

    /**
     * The largest value recorded in the current and the previous window of
     * {@link #MAX_WINDOW_NANOS}; one writer, any readers. A reader that finds both windows stale
     * reads 0.
     */
    static final class WindowMax {
        private final Cell start = new Cell();
        private final Cell current = new Cell();
        private final Cell previous = new Cell();

        void record(long now, long value) {
            if (start.value == 0 || now - start.value > MAX_WINDOW_NANOS) {
                LONG.setOpaque(previous, now - start.value > 2 * MAX_WINDOW_NANOS ? 0L : current.value);
                LONG.setOpaque(current, 0L);
                LONG.setOpaque(start, now);
            }
            if (value > current.value) {
                LONG.setOpaque(current, value);
            }
        }

        double read(long now) {
            long s = (long) LONG.getOpaque(start);
            long age = now - s;
            if (s == 0 || age > 2 * MAX_WINDOW_NANOS) {
                return 0;
            }
            long cur = (long) LONG.getOpaque(current);
            return age > MAX_WINDOW_NANOS ? cur : Math.max(cur, (long) LONG.getOpaque(previous));
        }
    }

    /**
     * Wakes every quarter of the long-block threshold (between 1 ms and 1 s) and reads the cycle
     * sequence: a cycle still in progress past the threshold since the watchdog first saw it is
     * counted once as a long block, and its age so far feeds the hold maximum. So a block is
     * counted when it lasts at least the threshold plus up to one wake-up period. The thread is a
     * platform daemon, ended when the kernel shuts down.
     */
    static final class Watchdog implements Runnable {
        private final CurioKernelMetrics metrics;
        private final long periodNanos;
        final Thread thread;
        final Cell longBlocks = new Cell();
        final WindowMax max = new WindowMax();
        private volatile boolean stopped;
        private long seenSeq = -1;
        private long seenSince;
        private boolean counted;

        Watchdog(CurioKernelMetrics metrics, String kernelName) {
            this.metrics = metrics;
            this.periodNanos = Math.clamp(metrics.longBlockNanos / 4, TimeUnit.MILLISECONDS.toNanos(1),
                    TimeUnit.SECONDS.toNanos(1));
            this.thread = Thread.ofPlatform().name("curio-" + kernelName + "-watchdog").daemon(true).unstarted(this);
        }

        @Override
        public void run() {
            while (!stopped) {
                LockSupport.parkNanos(this, periodNanos);
                check(System.nanoTime());
            }
        }

        private void check(long now) {
            long seq = (long) LONG.getOpaque(metrics.cycleSeq);
            if ((seq & 1) == 0) {
                return; // between cycles: the kernel is idle or switching
            }
            if (seq != seenSeq) {
                seenSeq = seq;
                seenSince = now;
                counted = false;
                return;
            }
            long age = now - seenSince;
            max.record(now, age);
            if (!counted && age >= metrics.longBlockNanos) {
                counted = true;
                longBlocks.add(1);
            }
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }
    }
}
