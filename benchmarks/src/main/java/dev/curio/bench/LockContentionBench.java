package dev.curio.bench;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.sync.Lock;
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
 * {@link Lock} under contention: {@link #TASKS} tasks each acquire the lock, yield while holding it
 * ({@code Curio.sleep(0)}, so the others pile up in the lock's queue) and release it, over and
 * over; the score is nanoseconds per acquire (the acquire, the hand-over to the next waiter on
 * release, and the switches between them).
 *
 * <p>Each invocation spawns the tasks, each does exactly {@code ACQUIRES / TASKS} acquires, and
 * joins them (100 spawns against 100,000 acquires). The tasks count the acquires and check that
 * no two of them ever hold the lock at once.
 *
 * <p>Thread-safety: {@link #holders} and {@link #acquires} are touched only by the task holding
 * the kernel; the benchmark thread reads them between runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class LockContentionBench {

    static final int TASKS = 100;
    static final int ACQUIRES = 100_000;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private final Lock lock = new Lock();
    private int holders;
    private long acquires;
    private long invocations;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void newKernel() {
        kernel = Carriers.build(carrier, "lock-contention");
    }

    private void contender() {
        for (int i = ACQUIRES / TASKS; i > 0; i--) {
            try (var held = lock.acquire()) {
                if (++holders != 1) {
                    throw new IllegalStateException(holders + " tasks hold the lock");
                }
                acquires++;
                Curio.sleep(0);
                holders--;
            }
        }
    }

    private Object contend() {
        @SuppressWarnings("unchecked")
        Task<Void>[] tasks = new Task[TASKS];
        for (int i = 0; i < TASKS; i++) {
            tasks[i] = Curio.spawn(this::contender);
        }
        for (Task<Void> t : tasks) {
            t.join();
        }
        return null;
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(ACQUIRES)
    public void acquireRelease() {
        cpu.begin();
        kernel.run(this::contend);
        cpu.end(ACQUIRES);
        invocations++;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (acquires != invocations * ACQUIRES || lock.locked() || lock.waiting() != 0) {
            throw new IllegalStateException(acquires + " acquires in " + invocations + " invocations, expected "
                    + invocations * ACQUIRES + "; " + lock);
        }
        kernel.close();
        cpu.print("\"bench\":\"lock\",\"carrier\":\"" + carrier + "\",\"tasks\":" + TASKS);
    }
}
