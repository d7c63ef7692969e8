package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskError;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.WriteResourceBusy;
import dev.curio.debug.Debug;
import dev.curio.sync.Event;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Ports of Curio 1.6's {@code tests/test_kernel.py}: running a kernel, sleeping, spawning and
 * joining tasks, scheduling fairness, single stepping, I/O registration, debuggers. The rest of that module
 * is in {@link CancelTest} (cancelling tasks), {@link TimeoutTest} and
 * {@link TimeoutCompositionTest} (timeouts), {@link CancellationControlTest} (disabling and
 * checking cancellation), {@link KernelLifecycleTest} (re-entry, reuse, parallel kernels,
 * shutdown) and {@link KernelArgumentsTest} (bad arguments).
 *
 * <p>Every scenario runs on a {@link ManualClock}, so sleeps take no real time and each list of
 * events is the exact one Curio 1.6 produces for the same scenario (checked against Curio 1.6).
 */
class KernelTest {

    private static final long MS = 1_000_000L;

    /** A checked exception a task body may throw. */
    static final class CheckedBoom extends Exception {}

    /** An unchecked exception a task body may throw. */
    static final class Boom extends RuntimeException {}

    /** Curio's {@code SystemExit}: a throwable that is not an {@link Exception}. */
    static final class Exit extends Error {}

    // Curio: test_hello
    @Test
    void hello() {
        try (Kernel k = TestKernels.autojump().build()) {
            assertThat(k.run(() -> "hello")).isEqualTo("hello");
        }
    }

    // Curio: test_raise (an unchecked exception leaves run() as it is)
    @Test
    void raise() {
        Boom boom = new Boom();
        try (Kernel k = TestKernels.autojump().build()) {
            assertThatThrownBy(() -> k.run(() -> {
                throw boom;
            })).isSameAs(boom);
        }
    }

    // Curio: test_raise (Java twist: a checked exception leaves run() as a TaskError whose cause it is)
    @Test
    void raiseChecked() {
        CheckedBoom boom = new CheckedBoom();
        try (Kernel k = TestKernels.autojump().build()) {
            assertThatThrownBy(() -> k.run(() -> {
                throw boom;
            })).isInstanceOf(TaskError.class).hasCause(boom);
        }
    }

    // Curio: test_task_run_error
    @Test
    void taskRunError() {
        try (Kernel k = TestKernels.autojump().build()) {
            assertThatThrownBy(() -> k.run(() -> Integer.parseInt("bad")))
                    .isInstanceOf(NumberFormatException.class);
        }
    }

    // Curio: test_kernel_exit (a SystemExit, which is no Exception, leaves run() unchanged)
    @Test
    void kernelExit() {
        Exit exit = new Exit();
        Trail trail = new Trail();
        assertThatThrownBy(() -> {
            try (Kernel k = TestKernels.autojump().build()) {
                k.run(() -> {
                    trail.add("main");
                    throw exit;
                });
            } finally {
                trail.add("closed");
            }
        }).isSameAs(exit);
        assertThat(trail.events()).containsExactly("main", "closed");
    }

    // Curio: test_sleep
    @Test
    void sleep() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long start = Curio.clock();
            long woke = Curio.sleep(0.5);
            trail.add("slept " + (woke - start) / MS + "ms");
            trail.add("clock " + (Curio.clock() - start) / MS + "ms");
        });
        assertThat(trail.events()).containsExactly("slept 500ms", "clock 500ms");
    }

    // Curio: test_clock (plus the Duration form, and sleep(0) which only yields)
    @Test
    void clock() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long start = Curio.clock();
            Curio.sleep(0.1);
            trail.add("after 0.1s: " + (Curio.clock() - start) / MS + "ms");
            Curio.sleep(Duration.ofMillis(250));
            trail.add("after 250ms: " + (Curio.clock() - start) / MS + "ms");
            long yielded = Curio.sleep(0);
            trail.add("sleep(0) returns clock: " + (yielded == Curio.clock()) + ", at " + (yielded - start) / MS + "ms");
            Curio.sleep(Duration.ZERO);
            trail.add("after Duration.ZERO: " + (Curio.clock() - start) / MS + "ms");
        });
        assertThat(trail.events()).containsExactly(
                "after 0.1s: 100ms",
                "after 250ms: 350ms",
                "sleep(0) returns clock: true, at 350ms",
                "after Duration.ZERO: 350ms");
    }

    // Not in Curio 1.6 (the manual's wake_at): sleepers wake by deadline, ties in spawn order.
    @Test
    void wakeAt() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long base = Curio.clock();
            for (String[] s : new String[][] {{"b", "2000"}, {"a", "1000"}, {"c", "2000"}}) {
                long at = base + Long.parseLong(s[1]) * MS;
                Curio.spawn(() -> {
                    long woke = Curio.wakeAt(at);
                    trail.add(s[0] + " at " + (woke - base) / MS + "ms");
                });
            }
            Curio.wakeAt(base + 3000 * MS);
            trail.add("main at " + (Curio.clock() - base) / MS + "ms");
            long woke = Curio.wakeAt(base);
            trail.add("past deadline returns at " + (woke - base) / MS + "ms");
        });
        assertThat(trail.events()).containsExactly(
                "a at 1000ms", "b at 2000ms", "c at 2000ms", "main at 3000ms", "past deadline returns at 3000ms");
    }

    // Curio: test_task_join
    @Test
    void taskJoin() {
        int r = TestKernels.run(() -> {
            Task<Integer> t = Curio.spawn(() -> 37);
            return t.join();
        });
        assertThat(r).isEqualTo(37);
    }

    // Curio: test_task_join_error
    @Test
    void taskJoinError() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Integer> t = Curio.spawn(() -> {
                trail.add("child");
                return Integer.parseInt("bad");
            });
            try {
                t.join();
                trail.add("not here");
            } catch (TaskError e) {
                trail.add("TaskError " + e.getCause().getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly("child", "TaskError NumberFormatException");
    }

    // Curio: test_sleep_0_starvation, without its socket half (no sockets yet): a task looping on
    // sleep(0) neither starves other tasks nor resists cancellation.
    @Test
    void sleepZeroStarvation() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> loop = Curio.spawn(() -> {
                try {
                    while (true) {
                        Curio.sleep(0);
                    }
                } catch (CancelledError e) {
                    trail.add("loop cancelled");
                    throw e;
                }
            });
            Curio.sleep(0);
            Task<Void> a = Curio.spawn(() -> steps(trail, "a"));
            Task<Void> b = Curio.spawn(() -> steps(trail, "b"));
            a.join();
            b.join();
            trail.add("joined");
            loop.cancel();
            trail.add("done");
        });
        assertThat(trail.events()).containsExactly(
                "a 0", "b 0", "a 1", "b 1", "a 2", "b 2", "joined", "loop cancelled", "done");
    }

    private static void steps(Trail trail, String name) {
        for (int i = 0; i < 3; i++) {
            trail.add(name + " " + i);
            Curio.sleep(0);
        }
    }

    // Curio: test_ping_pong_starvation, with events in place of the queues (no queues yet): two
    // tasks that keep waking each other do not starve a third.
    @Test
    void pingPongStarvation() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Event e1 = new Event();
            Event e2 = new Event();
            e1.set();
            Task<Void> pp1 = Curio.spawn(() -> pingPong(e1, e2));
            Task<Void> pp2 = Curio.spawn(() -> pingPong(e2, e1));
            Task<String> survivor = Curio.spawn(() -> {
                for (int i = 0; i < 10; i++) {
                    Curio.sleep(0);
                }
                trail.add("survived");
                return "i survived!";
            });
            trail.add(survivor.join());
            pp1.cancel();
            pp2.cancel();
            trail.add("done");
        });
        assertThat(trail.events()).containsExactly("survived", "i survived!", "done");
    }

    private static void pingPong(Event in, Event out) {
        while (true) {
            in.await();
            in.clear();
            out.set();
        }
    }

    // Curio: test_single_stepping (run() without a main task runs one scheduling cycle)
    @Test
    void singleStepping() {
        Trail trail = new Trail();
        ManualClock clock = ManualClock.manual();
        Task<Void> child;
        try (Kernel k = Kernel.builder().clock(clock).build()) {
            child = k.run(() -> Curio.spawnDaemon("child", () -> {
                trail.add("child start");
                Curio.sleep(0);
                trail.add("value 1");
                Curio.sleep(0.1);
                trail.add("value 2");
            }));
            trail.add("spawned");
            for (int i = 0; i < 3; i++) {
                k.runOnce();
                trail.add("step " + i);
            }
            clock.advance(Duration.ofMillis(200));
            k.runOnce();
            trail.add("step after sleep");
        }
        trail.add("shutdown " + child.terminated());
        assertThat(trail.events()).containsExactly(
                "spawned", "child start", "step 0", "value 1", "step 1", "step 2", "value 2",
                "step after sleep", "shutdown true");
    }

    // Curio: test_io_registration, on a loopback pair of JDK socket channels: a channel waited on
    // for reading and writing at once, a second writer refused, a cancelled writer unregistered.
    @Test
    void ioRegistration() throws Exception {
        Trail trail = new Trail();
        try (ServerSocketChannel server = ServerSocketChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel s1 = SocketChannel.open(server.getLocalAddress());
                SocketChannel s2 = server.accept()) {
            s1.configureBlocking(false);
            s2.configureBlocking(false);
            ByteBuffer fill = ByteBuffer.allocate(100_000);
            while (s1.write(fill.clear()) > 0) {
                // fill the send buffer so that s1 is not writable
            }
            TestKernels.run(() -> {
                Task<Void> t0 = Curio.spawn(() -> {
                    trail.add("reader waits");
                    Kernel.trap(new Trap.ReadWait(s1));
                    ByteBuffer in = ByteBuffer.allocate(100);
                    s1.read(in);
                    trail.add("reader got " + new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                });
                Task<Void> t1 = Curio.spawn(() -> {
                    trail.add("writer1 waits");
                    try {
                        Kernel.trap(new Trap.WriteWait(s1));
                        trail.add("not here");
                    } catch (CancelledError e) {
                        trail.add("writer1 cancelled");
                        throw e;
                    }
                });
                Task<Void> t2 = Curio.spawn(() -> {
                    try {
                        Kernel.trap(new Trap.WriteWait(s1));
                        trail.add("not here");
                    } catch (WriteResourceBusy e) {
                        trail.add("writer2 busy");
                    }
                });
                t2.join();
                trail.add("writer2 joined");
                t1.cancel();
                trail.add("writer1 cancel returned");
                s2.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
                trail.add("hello sent");
                t0.join();
                Kernel.trap(new Trap.IoRelease(s1));
                trail.add("done");
            });
        }
        assertThat(trail.events()).containsExactly(
                "reader waits", "writer1 waits", "writer2 busy", "writer2 joined", "writer1 cancelled",
                "writer1 cancel returned", "hello sent", "reader got hello", "done");
    }

    static int func(int x, int y, int z) {
        return 100 * x + 10 * y + z;
    }

    // Curio: test_coro_partial, in Java terms: every form of body (lambda, method reference, a
    // Callable held in a variable, a named task) runs with its arguments bound.
    @Test
    void bodyForms() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Callable<Integer> bound = () -> func(1, 2, 3);
            trail.add(Curio.ignoreAfter(Duration.ofSeconds(1), () -> func(1, 2, 3)));
            trail.add(Curio.ignoreAfter(Duration.ofSeconds(1), bound::call));
            trail.add(Curio.timeoutAfter(1.0, () -> func(1, 2, 3)));
            trail.add(Curio.spawn(bound).join());
            trail.add(Curio.spawn(() -> func(1, 2, 3)).join());
            trail.add(Curio.spawn("named", bound).join());
            Task<Void> r = Curio.spawn("runnable", () -> trail.add("runnable ran"));
            r.join();
            trail.add(r.name() + " " + r.result());
        });
        assertThat(trail.events()).containsExactly(
                "123", "123", "123", "123", "123", "123", "runnable ran", "runnable null");
    }

    /** Keeps the kind of each line a debugger logs ("CREATE", "RUN", "TRAP", ...). */
    static final class KindLogger implements System.Logger {
        final Trail kinds = new Trail();

        @Override
        public String getName() {
            return "kinds";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            kinds.add(msg.substring(0, msg.indexOf(':')));
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            log(level, bundle, format, (Throwable) null);
        }
    }

    private static List<String> debugRun(java.util.function.Function<KindLogger, Activation[]> debuggers) {
        KindLogger log = new KindLogger();
        try (Kernel k = TestKernels.autojump().activations(debuggers.apply(log)).build()) {
            k.run("hello", () -> Curio.sleep(0));
        }
        return log.kinds.events();
    }

    // Curio: test_kernel_debug (Curio's debug=True is [schedtrace]; the main task is filtered by
    // name because Curio's kernel runs helper tasks of its own that ours does not have)
    @Test
    void kernelDebug() {
        assertThat(debugRun(log -> new Activation[] {
                Debug.schedtrace().filter("hello").logger(log), Debug.traptrace().filter("hello").logger(log)}))
                .containsExactly("CREATE", "CREATE", "RUN", "RUN", "SUSPEND", "TRAP", "SUSPEND", "RUN", "RUN",
                        "SUSPEND", "TERMINATED", "SUSPEND", "TERMINATED");
        assertThat(debugRun(log -> new Activation[] {Debug.schedtrace().filter("hello").logger(log)}))
                .containsExactly("CREATE", "RUN", "SUSPEND", "RUN", "SUSPEND", "TERMINATED");
        assertThat(debugRun(log -> new Activation[] {Debug.traptrace().filter("hello").logger(log)}))
                .containsExactly("CREATE", "RUN", "TRAP", "SUSPEND", "RUN", "SUSPEND", "TERMINATED");
        assertThat(debugRun(log -> new Activation[] {Debug.schedtrace().filter("none").logger(log)})).isEmpty();
    }
}
