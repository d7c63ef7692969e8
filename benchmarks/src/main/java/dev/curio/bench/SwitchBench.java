package dev.curio.bench;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Task switch: {@code Curio.sleep(0)} among {@code tasks} tasks of one kernel; the score is
 * nanoseconds per switch (one task traps, the next ready task runs).
 *
 * <p>Shape: the trial's setup spawns {@code tasks - 1} workers that yield forever; they stay in
 * the kernel between runs (a kernel keeps its tasks when {@code run} returns). Each invocation
 * runs a main task that yields {@code SWITCHES / tasks - 1} times. The kernel runs its ready tasks
 * in batches and the main task is always last in the ready queue, so every task runs exactly
 * {@code SWITCHES / tasks} times: each invocation is exactly {@link #SWITCHES} switches, whatever
 * {@code tasks} is, and thread creation is left out. The tasks count their runs and the teardown
 * checks that count, so a change in the kernel's batching cannot skew the score unnoticed.
 *
 * <p>Thread-safety: {@link #runs} is written only by the task holding the kernel; the kernel's
 * hand-off orders those writes, and the benchmark thread reads it only between runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class SwitchBench {

    /** Switches per invocation; a multiple of every {@link #tasks} value. */
    static final int SWITCHES = 200_000;

    @Param({"2", "100", "10000"})
    public int tasks;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private int rounds;
    private long runs;
    private long invocations;
    private volatile boolean stop;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void spawnWorkers() {
        if (tasks < 2 || SWITCHES % tasks != 0) {
            throw new IllegalArgumentException("tasks must be >= 2 and divide " + SWITCHES + ", was " + tasks);
        }
        rounds = SWITCHES / tasks;
        kernel = Carriers.build(carrier, "switch-" + tasks);
        kernel.run(() -> {
            for (int i = 1; i < tasks; i++) {
                Curio.spawn("worker-" + i, this::worker);
            }
            Curio.sleep(0); // every worker starts (its thread too) and is back in the ready queue
            return null;
        });
        if (kernel.taskCount() != tasks - 1 || kernel.readyCount() != tasks - 1) {
            throw new IllegalStateException("expected " + (tasks - 1) + " ready workers, kernel has "
                    + kernel.taskCount() + " tasks, " + kernel.readyCount() + " ready");
        }
        runs = 0;
    }

    private void worker() {
        while (!stop) {
            Curio.sleep(0);
            runs++;
        }
    }

    private Object mainRounds() {
        runs++;
        for (int i = 1; i < rounds; i++) {
            Curio.sleep(0);
            runs++;
        }
        return null;
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void sleepZero() {
        cpu.begin();
        kernel.run(this::mainRounds);
        cpu.end(SWITCHES);
        invocations++;
    }

    @TearDown(Level.Trial)
    public void check() {
        long expected = invocations * (long) SWITCHES;
        if (runs != expected) {
            throw new IllegalStateException("tasks ran " + runs + " times in " + invocations
                    + " invocations; expected exactly " + expected + ": the score would be wrong");
        }
        // Let the workers end by themselves in one round: cancelling them one by one at close
        // (blocking, newest first, as Curio's shutdown does) would cost tasks^2 / 2 switches.
        stop = true;
        kernel.run(() -> Curio.sleep(0));
        kernel.close();
        if (kernel.taskCount() != 0) {
            throw new IllegalStateException(kernel.taskCount() + " tasks left after close");
        }
        cpu.print("\"bench\":\"switch\",\"carrier\":\"" + carrier + "\",\"tasks\":" + tasks);
    }
}
