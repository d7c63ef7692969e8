package dev.curio.bench;

import java.util.concurrent.LinkedBlockingQueue;
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
 * The baseline of {@link UniversalQueueBench}: {@link LinkedBlockingQueue} between two platform
 * threads, same shape (a fresh producer thread puts {@link UniversalQueueBench#ITEMS} items per
 * invocation, here the benchmark thread takes them) and same capacities (0 = unbounded).
 *
 * <p>Thread-safety: the queue is the only object both threads touch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class LinkedBlockingQueueBench {

    static final int ITEMS = UniversalQueueBench.ITEMS;
    private static final Integer[] VALUES = ThreadProducer.boxed(ITEMS);

    @Param({"0", "1024"})
    public int capacity;

    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long threadToThread() throws InterruptedException {
        cpu.begin();
        LinkedBlockingQueue<Integer> q = capacity == 0 ? new LinkedBlockingQueue<>() : new LinkedBlockingQueue<>(capacity);
        ThreadProducer producer = ThreadProducer.start(VALUES, q::put);
        long sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            int v = q.take();
            if (v != i) {
                throw new IllegalStateException("item " + i + " arrived as " + v);
            }
            sum += v;
        }
        producer.finish();
        cpu.end(ITEMS);
        if (sum != (long) ITEMS * (ITEMS - 1) / 2 || !q.isEmpty()) {
            throw new IllegalStateException("consumer summed " + sum);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void report() {
        cpu.print("\"bench\":\"lbq\",\"carrier\":\"threads\",\"capacity\":" + capacity);
    }
}
