package dev.curio.bench;

import dev.curio.kernel.Kernel;
import dev.curio.workers.Workers;
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
 * {@code Workers.runInThread(() -> 1)} round trip: one task calls it {@link #CALLS} times in a row;
 * the score is nanoseconds per call (hand the work to a worker platform thread, the task waits as
 * a trap, the thread runs it, the result comes back through the kernel). The kernel's worker pool
 * lives as long as the kernel, so its threads are started in the warm-up, not timed.
 *
 * <p>Thread-safety: the kernel is touched only by the benchmark thread between runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class RunInThreadBench {

    static final int CALLS = 10_000;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void newKernel() {
        kernel = Carriers.build(carrier, "run-in-thread");
    }

    private static Integer callAll() {
        int sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += Workers.runInThread(() -> 1);
        }
        return sum;
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int roundTrip() {
        cpu.begin();
        int sum = kernel.run(RunInThreadBench::callAll);
        cpu.end(CALLS);
        if (sum != CALLS) {
            throw new IllegalStateException("calls returned " + sum + ", expected " + CALLS);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void check() {
        kernel.close();
        cpu.print("\"bench\":\"run_in_thread\",\"carrier\":\"" + carrier + "\"");
    }
}
