package dev.curio.bench;

import dev.curio.Curio;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.queue.TaskQueue;
import java.util.concurrent.SynchronousQueue;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What a step out of the kernel and back in costs (issue 20, ADR 7): a hand-off of {@link #ITEMS}
 * items between two parties, nanoseconds per item, three ways:
 * <ul>
 *   <li>{@code stepOut}: two tasks of one kernel (owned carrier, {@link BlockingCalls#RELEASE})
 *       through a JDK {@link SynchronousQueue}: {@code take} and {@code put} park in the JDK
 *       outside a trap, so each side steps out of the kernel there, and steps back in (waits in
 *       the ready queue for its turn) when the other side wakes it. The teardown prints how many
 *       step outs an item took (two tasks, so about two);</li>
 *   <li>{@code virtualThreads}: the same hand-off through a {@link SynchronousQueue} between two
 *       plain virtual threads on the JDK's default scheduler (no kernel): what the JDK's park and
 *       unpark cost without the kernel's part;</li>
 *   <li>{@code trapPath}: two tasks of one kernel (owned carrier) through Curio's own
 *       {@link TaskQueue} of capacity 1, where each side gives the kernel up at a trap: the path a
 *       task takes when it does not block in the JDK ({@code QueueHandoffBench}'s
 *       {@code maxsize=1}).</li>
 * </ul>
 * Every invocation starts its two parties afresh (two spawns or two thread starts against
 * {@link #ITEMS} items) and checks that every item arrived, in order. Beside JMH's score, a
 * {@code RESULT} line gives the process CPU time per item.
 *
 * <p>Thread-safety: the queues are the parties' own; the benchmark thread reads only the results
 * of {@code kernel.run} or of the joined threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class StepOutBench {

    static final int ITEMS = 20_000;
    private static final Integer[] VALUES = new Integer[ITEMS];
    private static final long SUM = (long) ITEMS * (ITEMS - 1) / 2;

    static {
        for (int i = 0; i < ITEMS; i++) {
            VALUES[i] = i;
        }
    }

    private Kernel kernel;
    private final CpuMeter cpu = new CpuMeter();
    private String which;
    private long stepOuts;
    private long items;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams bench) {
        String name = bench.getBenchmark();
        which = name.substring(name.lastIndexOf('.') + 1);
        if (which.equals("virtualThreads")) {
            return; // no kernel
        }
        kernel = Kernel.builder().name("step-out").carrier(CarrierKind.OWNED)
                .blockingCalls(BlockingCalls.RELEASE).build();
        if (!kernel.carrierKind().equals("owned") || kernel.blockingCalls() != BlockingCalls.RELEASE) {
            throw new IllegalStateException("needs the owned carrier with blocking calls released, got "
                    + kernel.carrierKind() + " " + kernel.blockingCalls());
        }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        cpu.iteration(params);
    }

    private static long consume(SynchronousQueue<Integer> q) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            int v = q.take();
            if (v != i) {
                throw new IllegalStateException("item " + i + " arrived as " + v);
            }
            sum += v;
        }
        return sum;
    }

    private static void produce(SynchronousQueue<Integer> q) throws InterruptedException {
        for (int i = 0; i < ITEMS; i++) {
            q.put(VALUES[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long stepOut() {
        cpu.begin();
        long[] sumAndOuts = kernel.run(() -> {
            SynchronousQueue<Integer> q = new SynchronousQueue<>();
            Task<Long> consumer = Curio.spawn(() -> consume(q));
            Task<Void> producer = Curio.spawn(() -> produce(q));
            producer.join();
            long sum = consumer.join();
            return new long[] {sum, consumer.stepOuts() + producer.stepOuts()};
        });
        cpu.end(ITEMS);
        stepOuts += sumAndOuts[1];
        items += ITEMS;
        return check(sumAndOuts[0]);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long virtualThreads() throws InterruptedException {
        SynchronousQueue<Integer> q = new SynchronousQueue<>();
        long[] sum = new long[1];
        Throwable[] failed = new Throwable[2];
        cpu.begin();
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                sum[0] = consume(q);
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                produce(q);
            } catch (Throwable e) {
                failed[1] = e;
            }
        });
        producer.join();
        consumer.join();
        cpu.end(ITEMS);
        for (Throwable e : failed) {
            if (e != null) {
                throw new IllegalStateException("a party failed", e);
            }
        }
        return check(sum[0]);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long trapPath() {
        cpu.begin();
        long sum = kernel.run(() -> {
            TaskQueue<Integer> q = new TaskQueue<>(1);
            Task<Long> consumer = Curio.spawn(() -> {
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
            Task<Void> producer = Curio.spawn(() -> {
                for (int i = 0; i < ITEMS; i++) {
                    q.put(VALUES[i]);
                }
            });
            producer.join();
            return consumer.join();
        });
        cpu.end(ITEMS);
        return check(sum);
    }

    private static long check(long sum) {
        if (sum != SUM) {
            throw new IllegalStateException("consumer summed " + sum + ", not " + SUM);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernel == null) {
            cpu.print("\"bench\":\"step_out\",\"path\":\"" + which + "\"");
            return;
        }
        if (kernel.taskCount() != 0) {
            throw new IllegalStateException(kernel.taskCount() + " tasks left after the runs");
        }
        if (kernel.steppedOutCount() != 0) {
            throw new IllegalStateException(kernel.steppedOutCount() + " tasks still out after the runs");
        }
        kernel.close();
        String extra = "";
        if (which.equals("stepOut")) {
            if (stepOuts == 0) {
                throw new IllegalStateException("no task stepped out: this measured something else");
            }
            extra = String.format(java.util.Locale.ROOT, ",\"step_outs_per_item\":%.3f", (double) stepOuts / items);
        }
        cpu.print("\"bench\":\"step_out\",\"path\":\"" + which + "\"" + extra);
    }
}
