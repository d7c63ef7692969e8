package dev.curio.spring.boot.metrics;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A kernel's Micrometer metrics, taken by a scheduler activation (ARCHITECTURE.md §4).
 *
 * <p>Cost on the kernel's thread: per cycle two {@code nanoTime} reads, one timer record and two
 * adder increments; per task two adder increments; nothing allocated. Gauges read live state
 * (the task table, the ready queue) at scrape time through method references.
 *
 * <p>Threads: the activation methods run on whichever thread holds the kernel, one at a time, with
 * a happens-before edge at each hand-off, so {@link #cycleStart} needs no synchronisation. The
 * adders and the timer array are read by registry threads. Every meter is tagged
 * {@code kernel=<name>}; none is tagged by task id or name.
 */
public final class CurioKernelMetrics implements Activation, MeterBinder {

    private final String kernelName;
    private final long longBlockNanos;
    private final Tags tags;
    private final LongAdder created = new LongAdder();
    private final LongAdder cycles = new LongAdder();
    private final LongAdder longBlocks = new LongAdder();
    private final LongAdder[] terminated = new LongAdder[TaskOutcome.values().length];
    private final TaskStateCensus census = new TaskStateCensus(this::kernel);
    private volatile Kernel kernel;
    /** One hold timer per registry bound (usually one); replaced, never mutated. */
    private volatile Timer[] holdTimers = new Timer[0];
    private long cycleStart;

    public CurioKernelMetrics(String kernelName, Duration longBlockThreshold) {
        if (kernelName == null || kernelName.isBlank()) {
            throw new IllegalArgumentException("kernelName must not be blank");
        }
        if (longBlockThreshold == null || longBlockThreshold.isNegative() || longBlockThreshold.isZero()) {
            throw new IllegalArgumentException("longBlockThreshold must be positive, was " + longBlockThreshold);
        }
        this.kernelName = kernelName;
        this.longBlockNanos = longBlockThreshold.toNanos();
        this.tags = Tags.of("kernel", kernelName);
        for (int i = 0; i < terminated.length; i++) {
            terminated[i] = new LongAdder();
        }
    }

    // ---- activation: the kernel's thread ----

    @Override
    public void activate(Kernel k) {
        this.kernel = k;
    }

    @Override
    public void created(Task<?> task) {
        created.increment();
    }

    @Override
    public void running(Task<?> task) {
        cycles.increment();
        cycleStart = System.nanoTime();
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        long held = System.nanoTime() - cycleStart;
        for (Timer t : holdTimers) {
            t.record(held, TimeUnit.NANOSECONDS);
        }
        if (held > longBlockNanos) {
            longBlocks.increment();
        }
    }

    @Override
    public void terminated(Task<?> task) {
        terminated[TaskOutcome.of(task).ordinal()].increment();
    }

    // ---- binding: a registry's thread ----

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("curio.tasks.created", created, LongAdder::doubleValue)
                .description("Tasks created").baseUnit(BaseUnits.TASKS).tags(tags).register(registry);
        for (TaskOutcome o : TaskOutcome.values()) {
            FunctionCounter.builder("curio.tasks.terminated", terminated[o.ordinal()], LongAdder::doubleValue)
                    .description("Tasks terminated, by outcome").baseUnit(BaseUnits.TASKS)
                    .tags(tags).tag("outcome", o.tag()).register(registry);
        }
        Gauge.builder("curio.tasks.active", this, CurioKernelMetrics::activeTasks)
                .description("Tasks not yet terminated").baseUnit(BaseUnits.TASKS).tags(tags)
                .strongReference(true).register(registry);
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
        FunctionCounter.builder("curio.scheduler.cycles", cycles, LongAdder::doubleValue)
                .description("Execution cycles of tasks (each a hold of the kernel)").baseUnit("cycles")
                .tags(tags).register(registry);
        FunctionCounter.builder("curio.scheduler.long.blocks", longBlocks, LongAdder::doubleValue)
                .description("Cycles that held the kernel longer than curio.long-block-threshold")
                .baseUnit("blocks").tags(tags).register(registry);
        Timer hold = Timer.builder("curio.scheduler.hold")
                .description("Time a task held the kernel in one cycle; the max exposes long blocks")
                .tags(tags).register(registry);
        synchronized (this) {
            if (Arrays.asList(holdTimers).contains(hold)) {
                return; // bound twice to one registry: Micrometer gave back the same timer
            }
            Timer[] a = Arrays.copyOf(holdTimers, holdTimers.length + 1);
            a[a.length - 1] = hold;
            holdTimers = a;
        }
    }

    private Kernel kernel() {
        return kernel;
    }

    private double activeTasks() {
        Kernel k = kernel;
        return k == null ? 0 : k.taskCount();
    }

    private double readyTasks() {
        Kernel k = kernel;
        return k == null ? 0 : k.readyCount();
    }

    public String kernelName() {
        return kernelName;
    }
}
