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
 * The Kotlin peer of {@link QueueHandoffBench}: a producer and a consumer coroutine of one
 * {@code runBlocking} (one thread) pass {@link #ITEMS} items through a {@code Channel(capacity)};
 * the score is nanoseconds per item. {@code capacity=1} is the hand-off (the producer suspends
 * until the consumer takes the item), {@code 0} an unlimited channel (the operations alone), as
 * QueueHandoffBench's {@code maxsize}. Each invocation checks that every item arrived, in order.
 *
 * <p>Thread-safety: the coroutines run on the benchmark thread only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KotlinChannelBench {

    static final int ITEMS = 100_000;

    @Param({"1", "0"})
    public int capacity;

    private final CpuMeter cpu = new CpuMeter();

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long handOff() {
        cpu.begin();
        long sum = OneThreadCoroutines.channelHandOff(capacity, ITEMS);
        cpu.end(ITEMS);
        if (sum != (long) ITEMS * (ITEMS - 1) / 2) {
            throw new IllegalStateException("consumer summed " + sum);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void report() {
        cpu.print("kotlin", "\"bench\":\"queue\",\"maxsize\":" + capacity);
    }
}
