package dev.curio.bench;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.queue.TaskQueue;
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
 * Queue hand-off between two tasks of one kernel ({@link TaskQueue}): a producer task puts
 * {@link #ITEMS} items, a consumer task gets them; the score is nanoseconds per item.
 *
 * <p>{@code maxsize=1} is the hand-off proper: every put after the first waits for the consumer's
 * get, so each item costs two task switches plus the put and the get. {@code maxsize=0}
 * (unbounded) is the cost of the operations alone: a put never blocks, so the producer puts all
 * items in one run and the consumer then takes them without blocking. Each invocation spawns the
 * two tasks (two spawns against {@link #ITEMS} items: negligible) and checks that every item
 * arrived, in order.
 *
 * <p>Thread-safety: the queue and the counters are touched only by the tasks holding the kernel;
 * the benchmark thread reads the result of {@code kernel.run} only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class QueueHandoffBench {

    static final int ITEMS = 100_000;
    private static final Integer[] VALUES = new Integer[ITEMS];

    static {
        for (int i = 0; i < ITEMS; i++) {
            VALUES[i] = i;
        }
    }

    @Param({"1", "0"})
    public int maxsize;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void newKernel() {
        kernel = Carriers.build(carrier, "queue-handoff");
    }

    private Long handOffAll() {
        TaskQueue<Integer> q = new TaskQueue<>(maxsize);
        Task<Long> consumer = Curio.spawn(() -> {
            long sum = 0;
            for (int i = 0; i < ITEMS; i++) {
                int v = q.get();
                if (v != i) {
                    throw new IllegalStateException("item " + i + " arrived as " + v);
                }
                sum += v;
            }
            return sum;
        });
        Task<Void> producer = Curio.spawn(() -> {
            for (int i = 0; i < ITEMS; i++) {
                q.put(VALUES[i]);
            }
        });
        producer.join();
        return consumer.join();
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long handOff() {
        cpu.begin();
        long sum = kernel.run(this::handOffAll);
        cpu.end(ITEMS);
        if (sum != (long) ITEMS * (ITEMS - 1) / 2) {
            throw new IllegalStateException("consumer summed " + sum);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (kernel.taskCount() != 0) {
            throw new IllegalStateException(kernel.taskCount() + " tasks left after the runs");
        }
        kernel.close();
        cpu.print("\"bench\":\"queue\",\"carrier\":\"" + carrier + "\",\"maxsize\":" + maxsize);
    }
}
