package dev.curio.bench;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import java.util.concurrent.Callable;
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
 * Spawn + join of a trivial task: a main task spawns a task returning 1 and joins it,
 * {@link #SPAWNS} times per invocation; the score is nanoseconds per spawn + join (task object,
 * virtual thread start, two hand-offs, termination).
 *
 * <p>Thread-safety: the kernel is touched only by the benchmark thread between runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class SpawnJoinBench {

    static final int SPAWNS = 20_000;
    private static final Callable<Integer> TRIVIAL = () -> 1;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void newKernel() {
        kernel = Carriers.build(carrier, "spawn-join");
    }

    private Integer spawnJoinAll() {
        int sum = 0;
        for (int i = 0; i < SPAWNS; i++) {
            sum += Curio.spawn(TRIVIAL).join();
        }
        return sum;
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(SPAWNS)
    public int spawnJoin() {
        cpu.begin();
        int sum = kernel.run(this::spawnJoinAll);
        cpu.end(SPAWNS);
        if (sum != SPAWNS) {
            throw new IllegalStateException("joined tasks returned " + sum + ", expected " + SPAWNS);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (kernel.taskCount() != 0) {
            throw new IllegalStateException(kernel.taskCount() + " tasks left after the runs");
        }
        kernel.close();
        cpu.print("\"bench\":\"spawn_join\",\"carrier\":\"" + carrier + "\"");
    }
}
