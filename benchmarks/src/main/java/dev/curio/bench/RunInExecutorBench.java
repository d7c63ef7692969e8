package dev.curio.bench;

import dev.curio.kernel.Kernel;
import dev.curio.workers.Workers;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
 * A diagnostic beside {@link RunInThreadBench}: the same round trip through
 * {@code Workers.runInExecutor} with two thread pools, to see what the pool's queue costs.
 * {@code fixed64} is built like the worker pool behind {@code runInThread} (64 core threads taking
 * calls from a {@link LinkedBlockingQueue}: idle threads wait FIFO, so consecutive calls wake a
 * different, cold thread each time); {@code cached} is {@link Executors#newCachedThreadPool()}
 * (a {@code SynchronousQueue}: the most recently idle thread takes the next call, after a short
 * spin). Not one of the issues' targets.
 *
 * <p>Thread-safety: the kernel and executor are touched only by the benchmark thread between runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class RunInExecutorBench {

    static final int CALLS = RunInThreadBench.CALLS;

    @Param({"fixed64", "cached"})
    public String executor;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private ExecutorService pool;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void newKernel() {
        kernel = Carriers.build(carrier, "run-in-executor");
        pool = switch (executor) {
            case "fixed64" -> new ThreadPoolExecutor(64, 64, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> Thread.ofPlatform().daemon(true).unstarted(r));
            case "cached" -> Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon(true).unstarted(r));
            default -> throw new IllegalArgumentException("executor must be fixed64 or cached, was " + executor);
        };
    }

    private Integer callAll() {
        int sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += Workers.runInExecutor(pool, () -> 1);
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
        int sum = kernel.run(this::callAll);
        cpu.end(CALLS);
        if (sum != CALLS) {
            throw new IllegalStateException("calls returned " + sum + ", expected " + CALLS);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void check() {
        kernel.close();
        pool.shutdown();
        cpu.print("\"bench\":\"run_in_executor\",\"carrier\":\"" + carrier + "\",\"executor\":\"" + executor + "\"");
    }
}
