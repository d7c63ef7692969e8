package dev.curio.bench;

import dev.curio.bench.kotlin.OneThreadCoroutines;
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
 * The Kotlin peer of {@link SwitchBench}: {@code yield()} among {@code tasks} coroutines of one
 * {@code runBlocking} (one thread); the score is nanoseconds per switch.
 *
 * <p>Coroutines cannot outlive their {@code runBlocking}, so each invocation launches its
 * {@code tasks - 1} coroutines again; with {@link #SWITCHES} ten times SwitchBench's, those
 * launches are at most about 1 % of an invocation (10,000 launches against 2,000,000 yields), a
 * cost counted against Kotlin. The coroutines count their runs; each invocation checks the count.
 *
 * <p>Thread-safety: the coroutines run on the benchmark thread only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KotlinSwitchBench {

    /** Switches per invocation; a multiple of every {@link #tasks} value. */
    static final int SWITCHES = 2_000_000;

    @Param({"2", "100", "10000"})
    public int tasks;

    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        if (tasks < 2 || SWITCHES % tasks != 0) {
            throw new IllegalArgumentException("tasks must be >= 2 and divide " + SWITCHES + ", was " + tasks);
        }
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long yieldSwitch() {
        cpu.begin();
        long runs = OneThreadCoroutines.yieldSwitches(tasks, SWITCHES / tasks);
        cpu.end(SWITCHES);
        if (runs != SWITCHES) {
            throw new IllegalStateException("coroutines ran " + runs + " times, expected " + SWITCHES);
        }
        return runs;
    }

    @TearDown(Level.Trial)
    public void report() {
        cpu.print("kotlin", "\"bench\":\"switch\",\"tasks\":" + tasks);
    }
}
