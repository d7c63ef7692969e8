package dev.curio.bench;

import dev.curio.kernel.Kernel;
import dev.curio.queue.UniversalQueue;
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
 * {@link UniversalQueue} from a platform thread to a task: a producer platform thread puts
 * {@link #ITEMS} items, a task of a kernel gets them; the score is nanoseconds per item (the report
 * turns it into items/s). Its baseline is {@link LinkedBlockingQueueBench}, run in the same JMH
 * run with the same shape and capacities.
 *
 * <p>{@code capacity=0} is an unbounded queue (the producer never waits; the consumer waits only
 * when it has caught up); {@code capacity=1024} makes the producer wait too when it is ahead.
 * Each invocation uses a fresh queue and a fresh producer thread, and the task checks that every
 * item arrived once, in order.
 *
 * <p>Thread-safety: the queue is the only object both threads touch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class UniversalQueueBench {

    static final int ITEMS = 1_000_000;
    private static final Integer[] VALUES = ThreadProducer.boxed(ITEMS);

    @Param({"0", "1024"})
    public int capacity;

    @Param({"owned", "default"})
    public String carrier;

    private Kernel kernel;
    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Trial)
    public void newKernel() {
        kernel = Carriers.build(carrier, "universal-queue");
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long threadToTask() throws InterruptedException {
        cpu.begin();
        UniversalQueue<Integer> q = new UniversalQueue<>(capacity);
        ThreadProducer producer = ThreadProducer.start(VALUES, q::put);
        long sum = kernel.run(() -> {
            long s = 0;
            for (int i = 0; i < ITEMS; i++) {
                int v = q.get();
                if (v != i) {
                    throw new IllegalStateException("item " + i + " arrived as " + v);
                }
                s += v;
            }
            return s;
        });
        producer.finish();
        cpu.end(ITEMS);
        if (sum != (long) ITEMS * (ITEMS - 1) / 2 || !q.empty()) {
            throw new IllegalStateException("consumer summed " + sum + ", " + q);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void check() {
        if (kernel.taskCount() != 0) {
            throw new IllegalStateException(kernel.taskCount() + " tasks left after the runs");
        }
        kernel.close();
        cpu.print("\"bench\":\"universal_queue\",\"carrier\":\"" + carrier + "\",\"capacity\":" + capacity);
    }
}
