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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The Kotlin peer of {@link SpawnJoinBench}: {@code launch {}.join()} of a trivial coroutine in
 * one {@code runBlocking} (one thread), {@link #SPAWNS} times per invocation; the score is
 * nanoseconds per launch + join. Each invocation checks that every coroutine ran.
 *
 * <p>Thread-safety: the coroutines run on the benchmark thread only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KotlinSpawnJoinBench {

    static final int SPAWNS = 20_000;

    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public long launchJoin() {
        cpu.begin();
        long ran = OneThreadCoroutines.launchJoin(SPAWNS);
        cpu.end(SPAWNS);
        if (ran != SPAWNS) {
            throw new IllegalStateException(ran + " coroutines ran, expected " + SPAWNS);
        }
        return ran;
    }

    @TearDown(Level.Trial)
    public void report() {
        cpu.print("kotlin", "\"bench\":\"spawn_join\"");
    }
}
