package dev.curio.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * The floor under the kernel's task switch on this JDK (docs/adr/0005): no kernel, no traps, only
 * the mechanism a switch is made of. Nanoseconds per switch:
 * <ul>
 *   <li>{@code virtualThreadPingPong}: two virtual threads on one carrier thread owned by the
 *       benchmark (the same package-private builder as the kernel's {@code OwnedCarrier}, and the
 *       same local deque for hand-offs made on the carrier), passing a turn back and forth with
 *       {@code LockSupport.unpark} / {@code park}: one switch = one unpark plus one park, the least
 *       a virtual-thread hand-off can do;</li>
 *   <li>{@code continuationPingPong}: two bare {@code jdk.internal.vm.Continuation}s run in turn by
 *       the benchmark thread, each yielding after one step: one switch = one {@code run} (mount)
 *       plus one {@code yield} (unmount), what a kernel running task bodies as continuations would
 *       pay. Reached through method handles with {@code --add-exports
 *       java.base/jdk.internal.vm=ALL-UNNAMED} (an internal API: see the ADR).</li>
 * </ul>
 * Both count their steps and check the count after each invocation.
 *
 * <p>Thread-safety: in the ping-pong, {@link #turn} is written by whichever virtual thread holds
 * the turn (volatile: the two run one after the other on the carrier, but the JMH thread reads
 * the end); the carrier's local deque is touched only on the carrier. The continuations run on the
 * benchmark thread only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class HandOffFloorBench {

    static final int SWITCHES = 200_000;

    // ---- two virtual threads on one owned carrier ----

    /** A platform thread that runs the continuations of the virtual threads it carries. */
    static final class OneCarrier implements Executor, Runnable {
        private final ArrayDeque<Runnable> local = new ArrayDeque<>();
        private final ConcurrentLinkedQueue<Runnable> remote = new ConcurrentLinkedQueue<>();
        private final Thread thread = Thread.ofPlatform().daemon().name("floor-carrier").unstarted(this);
        private volatile boolean parked;
        volatile boolean stop;

        @Override
        public void execute(Runnable r) {
            if (Thread.currentThread() == thread || Thread.currentThread().isVirtual()) {
                local.addLast(r); // a hand-off made by one of our virtual threads, on the carrier
                return;
            }
            remote.add(r);
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (!stop) {
                Runnable r;
                while ((r = local.pollFirst()) != null || (r = remote.poll()) != null) {
                    r.run();
                }
                parked = true;
                if (remote.isEmpty() && !stop) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }

    private OneCarrier carrier;
    private Thread.Builder.OfVirtual onCarrier;
    private volatile int turn;
    private long steps;
    private final CpuMeter cpu = new CpuMeter();
    private String which;

    @Setup(Level.Iteration)
    public void iteration(BenchmarkParams bench, IterationParams params) {
        which = bench.getBenchmark().endsWith("continuationPingPong") ? "continuation" : "virtual_thread";
        cpu.iteration(params);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        carrier = new OneCarrier();
        carrier.thread.start();
        Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                .getDeclaredConstructor(Executor.class);
        c.setAccessible(true);
        onCarrier = (Thread.Builder.OfVirtual) c.newInstance(carrier);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long virtualThreadPingPong() throws InterruptedException {
        int rounds = SWITCHES / 2;
        turn = 0;
        Thread[] both = new Thread[2];
        CountDownLatch done = new CountDownLatch(2);
        for (int side = 0; side < 2; side++) {
            int me = side;
            both[side] = onCarrier.unstarted(() -> {
                Thread other = both[1 - me];
                for (int i = 0; i < rounds; i++) {
                    while (turn != me) {
                        LockSupport.park();
                    }
                    steps++;
                    turn = 1 - me;
                    LockSupport.unpark(other);
                }
                done.countDown();
            });
        }
        cpu.begin();
        both[0].start();
        both[1].start();
        done.await();
        cpu.end(SWITCHES);
        return check(SWITCHES);
    }

    // ---- two bare continuations run in turn ----

    private static final MethodHandle NEW_SCOPE;
    private static final MethodHandle NEW_CONTINUATION;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;

    static {
        MethodHandle ns = null, nc = null, run = null, yield = null, done = null;
        try {
            Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup(); // the export is to ALL-UNNAMED only: not for publicLookup
            ns = l.findConstructor(scope, MethodType.methodType(void.class, String.class)).asType(
                    MethodType.methodType(Object.class, String.class));
            nc = l.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class)).asType(
                    MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = l.findVirtual(cont, "run", MethodType.methodType(void.class)).asType(
                    MethodType.methodType(void.class, Object.class));
            yield = l.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope)).asType(
                    MethodType.methodType(boolean.class, Object.class));
            done = l.findVirtual(cont, "isDone", MethodType.methodType(boolean.class)).asType(
                    MethodType.methodType(boolean.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Without --add-exports java.base/jdk.internal.vm=ALL-UNNAMED: continuationPingPong fails.
        }
        NEW_SCOPE = ns;
        NEW_CONTINUATION = nc;
        RUN = run;
        YIELD = yield;
        IS_DONE = done;
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long continuationPingPong() throws Throwable {
        if (RUN == null) {
            throw new IllegalStateException("needs --add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        }
        int rounds = SWITCHES / 2;
        Object scope = NEW_SCOPE.invokeExact("floor");
        Runnable body = () -> {
            for (int i = 0; i < rounds; i++) {
                steps++;
                try {
                    boolean yielded = (boolean) YIELD.invokeExact(scope);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        cpu.begin();
        Object a = NEW_CONTINUATION.invokeExact(scope, body);
        Object b = NEW_CONTINUATION.invokeExact(scope, body);
        for (int i = 0; i <= rounds; i++) { // the last run of each lets it finish
            RUN.invokeExact(a);
            RUN.invokeExact(b);
        }
        cpu.end(SWITCHES);
        if (!(boolean) IS_DONE.invokeExact(a) || !(boolean) IS_DONE.invokeExact(b)) {
            throw new IllegalStateException("continuations did not finish");
        }
        return check(SWITCHES);
    }

    private long check(long expected) {
        long s = steps;
        steps = 0;
        if (s != expected) {
            throw new IllegalStateException(s + " steps, expected " + expected);
        }
        return s;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cpu.print("floor", "\"bench\":\"switch_floor\",\"mechanism\":\"" + which + "\"");
        carrier.stop = true;
        LockSupport.unpark(carrier.thread);
    }
}
