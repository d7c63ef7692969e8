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
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A kernel's Micrometer metrics, taken by a scheduler activation (ARCHITECTURE.md §4), built to
 * cost little on the task switch (README: measured with {@code TaskSwitchCost}).
 *
 * <p>Per cycle the kernel pays two stores and a countdown: no clock read, no allocation, no
 * atomic, no Micrometer call. Hold times are timed on a sample of cycles (about one in
 * {@value #DEFAULT_SAMPLE_STRIDE}, at pseudo-random strides so that no periodic pattern of tasks
 * is always or never sampled), because one {@code System.nanoTime} costs about as much as a
 * tenth of a switch. The hold timer's buckets ({@link #HOLD_BUCKETS}) run from 1 µs to 5 s, since
 * holds are microseconds and a long block is tens of milliseconds or more; its maximum is the
 * longest <em>timed</em> hold. Long blocks do not depend on the sample: a
 * {@link LongBlockWatchdog}, whose thread looks every quarter of the threshold, sees a cycle that
 * stays in progress past the threshold and counts it once.
 *
 * <p>A task the JDK blocks outside a trap steps out of the kernel ({@code curio.blocking-calls=release}):
 * its cycle ends there, as at a trap ({@link #steppedOut} ends the hold sample and the watchdog's
 * cycle), so time out of the kernel is never time holding it. How many tasks are out now is read
 * from the kernel at scrape time; how long each stayed out is timed from its step out to the JDK
 * waking it ({@link #steppedIn}), with one clock read at each end: a step out happens only where
 * the JDK really parked the task, which costs far more than the read.
 *
 * <p>Threads and their fields. The activation methods run on whichever thread holds the kernel,
 * one at a time with a happens-before edge at each hand-off: they are the single writer of the
 * "kernel-written" fields, written plainly or, where another thread reads them, with opaque
 * stores (a plain store on x86, but never torn and never hoisted away). Registry threads only read, with opaque
 * loads; a scrape may see one field a few updates behind another, which a gauge tolerates.
 * System tasks ({@link Task#system()}: the kernel's own machinery) are left out of the task
 * counts and the state census; their cycles count in the scheduler metrics, since they hold the
 * kernel like any task. Every meter is tagged {@code kernel=<name>}; none by task id or name.
 */
public final class CurioKernelMetrics implements Activation, MeterBinder {

    /** Mean stride between timed cycles. */
    static final int DEFAULT_SAMPLE_STRIDE = 32;

    /**
     * Bucket boundaries of {@code curio.scheduler.hold}: 1-2-5 steps from 1 µs to 5 s, 21
     * boundaries, so the timer makes 25 Prometheus series (22 buckets with {@code +Inf}, count, sum,
     * max) where Micrometer's default percentile buckets (lowest 1 ms) made 77 and put every hold in
     * the first one. Percentiles read from them are exact to one bucket: within a factor 2 to 2.5.
     */
    public static final List<Duration> HOLD_BUCKETS = buckets(1_000L, 1_000_000_000L);

    /**
     * Bucket boundaries of {@code curio.scheduler.step.out}: 1-2-5 steps from 10 µs to 50 s, 21
     * boundaries (25 Prometheus series, as the hold timer's). A step out lasts as long as the JDK
     * call that blocked the task: microseconds for a contended lock, milliseconds for a socket
     * read or a query, seconds or more for a slow query or a queue nobody feeds.
     */
    public static final List<Duration> STEP_OUT_BUCKETS = buckets(10_000L, 10_000_000_000L);

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
    private final int sampleStride;
    private final Tags tags;
    private final TaskStateCensus census = new TaskStateCensus(this::kernel);
    private volatile Kernel kernel;
    private final LongBlockWatchdog longBlocks;

    // ---- kernel-written (opaque where read elsewhere) ----
    private final Cell cycles = new Cell();
    private final Cell created = new Cell();
    private final long[] terminated = new long[TaskOutcome.values().length];
    /**
     * The hold timers of the registries this is bound to (a sample of the cycles is recorded,
     * so that a percentile histogram costs the task switch almost nothing). Copy-on-write: bound
     * on a registry's thread, read by the kernel's holder.
     */
    private final java.util.concurrent.CopyOnWriteArrayList<Timer> holdTimers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int untilSample;
    private long sampleStart;
    private int random = 0x9E3779B9;
    /**
     * The timers of {@code curio.scheduler.step.out}, one per registry bound (copy-on-write, as
     * {@link #holdTimers}), and the {@code System.nanoTime} at which each task now out stepped out
     * (the holder's only; a task leaves it when it steps back in).
     */
    private final java.util.concurrent.CopyOnWriteArrayList<Timer> stepOutTimers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Map<Task<?>, Long> outSince = new java.util.IdentityHashMap<>();

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
        this.longBlocks = new LongBlockWatchdog(longBlockThreshold, System::nanoTime);
        this.sampleStride = sampleStride;
        this.untilSample = 1;
        this.tags = Tags.of("kernel", kernelName);
    }

    // ---- activation: the kernel's holder ----

    @Override
    public void activate(Kernel k) {
        this.kernel = k;
        longBlocks.start(k, "curio-" + k.name() + "-watchdog");
    }

    @Override
    public void created(Task<?> task) {
        if (!task.system()) {
            created.add(1);
        }
    }

    @Override
    public void running(Task<?> task) {
        longBlocks.running(task);
        cycles.add(1);
        if (--untilSample == 0) {
            untilSample = nextStride();
            sampleStart = System.nanoTime();
        }
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        longBlocks.suspended();
        if (sampleStart != 0) {
            long now = System.nanoTime();
            long held = now - sampleStart;
            sampleStart = 0;
            for (Timer t : holdTimers) {
                t.record(held, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The cycle ended with the task out of the kernel: it ends as at a trap, and its time out starts. */
    @Override
    public void steppedOut(Task<?> task) {
        suspended(task, null);
        outSince.put(task, task.steppedOutAt().orElseGet(System::nanoTime));
    }

    /** The JDK woke a task that was out: it waits in the ready queue from now on; its time out ends. */
    @Override
    public void steppedIn(Task<?> task) {
        Long since = outSince.remove(task);
        if (since != null) {
            long out = System.nanoTime() - since;
            for (Timer t : stepOutTimers) {
                t.record(out, TimeUnit.NANOSECONDS);
            }
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
        Gauge.builder("curio.tasks.stepped.out", this, CurioKernelMetrics::steppedOutTasks)
                .description("Tasks out of the kernel now: the JDK blocks them outside a trap (state BLOCKED,"
                        + " curio.blocking-calls=release), and they do not hold the kernel meanwhile")
                .baseUnit(BaseUnits.TASKS).tags(tags).strongReference(true).register(registry);
        Gauge.builder("curio.ready.queue", this, CurioKernelMetrics::readyTasks)
                .description("Tasks in the kernel's ready queue").baseUnit(BaseUnits.TASKS).tags(tags)
                .strongReference(true).register(registry);
        FunctionCounter.builder("curio.scheduler.cycles", cycles, Cell::read)
                .description("Execution cycles of tasks (each a hold of the kernel)").baseUnit("cycles")
                .tags(tags).register(registry);
        FunctionCounter.builder("curio.scheduler.long.blocks", this, CurioKernelMetrics::longBlocks)
                .description("Cycles that held the kernel longer than curio.long-block-threshold")
                .baseUnit("blocks").tags(tags).register(registry);
        holdTimers.addIfAbsent(Timer.builder("curio.scheduler.hold") // a registry bound twice gives the same timer
                .description("Time a task held the kernel in one cycle, timed on a sample of about 1 cycle in "
                        + sampleStride + " (count is timed cycles, max the longest timed hold; "
                        + "curio.scheduler.long.blocks counts every long hold)")
                .serviceLevelObjectives(HOLD_BUCKETS.toArray(Duration[]::new))
                .tags(tags).register(registry));
        stepOutTimers.addIfAbsent(Timer.builder("curio.scheduler.step.out")
                .description("Time a task stayed out of the kernel, from the JDK blocking it outside a trap to the JDK"
                        + " waking it, every step out timed (count is step outs that ended; curio.tasks.stepped.out"
                        + " counts the tasks out now); this time never counts as holding the kernel")
                .serviceLevelObjectives(STEP_OUT_BUCKETS.toArray(Duration[]::new))
                .tags(tags).register(registry));
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

    private double steppedOutTasks() {
        Kernel k = kernel;
        return k == null ? 0 : k.steppedOutCount();
    }

    private double longBlocks() {
        return longBlocks.count();
    }

    /** 1-2-5 steps, from {@code first} to 5 times {@code lastDecade} (nanoseconds). */
    private static List<Duration> buckets(long first, long lastDecade) {
        List<Duration> b = new ArrayList<>();
        for (long decade = first; decade <= lastDecade; decade *= 10) {
            for (long step : new long[] {1, 2, 5}) {
                b.add(Duration.ofNanos(step * decade));
            }
        }
        return List.copyOf(b);
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
}
