package dev.curio.bench;

import dev.curio.kernel.Kernel;
import dev.curio.workers.ProcessWorkers;
import dev.curio.workers.SerializableCallable;
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
 * {@code Workers.runInProcess(() -> 1)} round trip on a warm pool: one task calls it {@link #CALLS}
 * times in a row; the score is nanoseconds per call (serialize the callable, write it to the
 * worker's pipe, the worker JVM runs it and writes the reply, the reader thread completes the
 * caller's future). The pool's first worker is started in the trial's setup; its cold start is
 * measured by {@link ProcessColdStart}, not here. The check at the end: one worker process did
 * all the calls (none was replaced).
 *
 * <p>Thread-safety: the kernel and pool are touched only by the benchmark thread between runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class RunInProcessBench {

    static final int CALLS = 200;
    static final SerializableCallable<Integer> ONE = () -> 1;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private ProcessWorkers pool;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void warmPool() {
        kernel = Carriers.build(carrier, "run-in-process");
        pool = Workers.processPool(kernel);
        int one = kernel.run(() -> Workers.runInProcess(ONE));
        if (one != 1 || pool.startedProcesses() != 1) {
            throw new IllegalStateException("warm-up call returned " + one + ", " + pool.startedProcesses() + " workers started");
        }
    }

    private static Integer callAll() {
        int sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += Workers.runInProcess(ONE);
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
        int sum = kernel.run(RunInProcessBench::callAll);
        cpu.end(CALLS);
        if (sum != CALLS) {
            throw new IllegalStateException("calls returned " + sum + ", expected " + CALLS);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void check() {
        long started = pool.startedProcesses();
        kernel.close();
        if (started != 1) {
            throw new IllegalStateException(started + " worker processes started; sequential calls should reuse one");
        }
        // Process CPU time counts this JVM only, not the worker's.
        cpu.print("\"bench\":\"run_in_process\",\"carrier\":\"" + carrier + "\"");
    }
}
