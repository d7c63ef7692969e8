package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.sync.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A kernel's own life cycle: who may run it and when (Curio 1.6's {@code test_reentrant_kernel},
 * {@code test_kernel_no_shutdown}, and what Curio's {@code Kernel.run} allows beyond its tests:
 * successive runs of one kernel, several kernels in one process).
 */
class KernelLifecycleTest {

    // Curio: test_reentrant_kernel
    @Test
    void runFromInsideATaskRaises() {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump().build(); Kernel other = TestKernels.autojump().build()) {
            k.run(() -> {
                for (Kernel target : List.of(k, other)) {
                    try {
                        target.run(() -> "never");
                        trail.add("not here");
                    } catch (IllegalStateException e) {
                        trail.add((target == k ? "own" : "other") + " kernel: " + e.getMessage().contains("inside a task"));
                    }
                }
                try {
                    Curio.run(() -> "never");
                    trail.add("not here");
                } catch (IllegalStateException e) {
                    trail.add("Curio.run: " + e.getMessage().contains("inside a task"));
                }
                Curio.sleep(0);
                trail.add("main still runs");
                return null;
            });
            trail.add("other kernel still usable: " + other.run(() -> "yes"));
        }
        assertThat(trail.events()).containsExactly(
                "own kernel: true", "other kernel: true", "Curio.run: true", "main still runs",
                "other kernel still usable: yes");
    }

    // Not in Curio's tests: run() of a kernel that another thread is running raises.
    @Test
    void runOnARunningKernelRaises() throws Exception {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump().build()) {
            CountDownLatch inside = new CountDownLatch(1);
            CompletableFuture<Void> release = new CompletableFuture<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread runner = Thread.ofPlatform().start(() -> {
                try {
                    k.run(() -> {
                        trail.add("main runs");
                        inside.countDown();
                        Kernel.trap(new Trap.FutureWait(release));
                        trail.add("main released");
                        return null;
                    });
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            inside.await();
            assertThat(k.isRunning()).isTrue();
            assertThatThrownBy(() -> k.run(() -> "second"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
            assertThatThrownBy(k::runOnce)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
            trail.add("second run refused");
            release.complete(null);
            runner.join();
            assertThat(failure.get()).isNull();
            assertThat(k.isRunning()).isFalse();
            trail.add("run again: " + k.run(() -> "ok"));
        }
        assertThat(trail.events()).containsExactly("main runs", "second run refused", "main released", "run again: ok");
    }

    // Curio: test_kernel_no_shutdown (a closed kernel cannot run; closing twice is harmless)
    @Test
    void closedKernelCannotRun() {
        Kernel k = TestKernels.autojump().build();
        try (k) {
            assertThat(k.isShutDown()).isFalse();
        }
        assertThat(k.isShutDown()).isTrue();
        assertThatThrownBy(() -> k.run(() -> "never"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
        assertThatThrownBy(k::runOnce)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
        k.close();
        assertThat(k.isShutDown()).isTrue();
    }

    // Not in Curio's tests, allowed by Curio's Kernel.run: one kernel runs main after main, and a
    // daemon spawned by the first lives on between the runs until the kernel is closed.
    @Test
    void kernelIsReusableAndDaemonsSurviveBetweenRuns() {
        Trail trail = new Trail();
        Event ping = new Event();
        Task<Void> daemon;
        try (Kernel k = TestKernels.autojump().build()) {
            daemon = k.run(() -> Curio.spawnDaemon("echo", () -> {
                int n = 0;
                try {
                    while (true) {
                        ping.await();
                        ping.clear();
                        trail.add("daemon saw ping " + ++n);
                    }
                } catch (CancelledError e) {
                    trail.add("daemon cancelled");
                    throw e;
                }
            }));
            trail.add("first run returned");
            for (String run : List.of("second", "third")) {
                String r = k.run(() -> {
                    ping.set();
                    Curio.sleep(0);
                    trail.add(run + " run main, tasks " + k.taskCount());
                    return run;
                });
                trail.add(r + " run returned, daemon terminated " + daemon.terminated());
            }
        }
        trail.add("closed, daemon terminated " + daemon.terminated() + ", cancelled " + daemon.cancelled());
        assertThat(trail.events()).containsExactly(
                "first run returned",
                "daemon saw ping 1", "second run main, tasks 2", "second run returned, daemon terminated false",
                "daemon saw ping 2", "third run main, tasks 2", "third run returned, daemon terminated false",
                "daemon cancelled", "closed, daemon terminated true, cancelled true");
    }

    // Not in Curio's tests: kernels run in parallel in one JVM, one per platform thread, started
    // together; each kernel's events keep their own order and its tasks see only their kernel.
    @Test
    void kernelsRunInParallel() throws Exception {
        int kernels = 4;
        int rounds = 200;
        CountDownLatch start = new CountDownLatch(kernels);
        List<Future<List<String>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(kernels)) {
            for (int i = 0; i < kernels; i++) {
                String name = "parallel-" + i;
                results.add(threads.submit(() -> {
                    Trail trail = new Trail();
                    trail.add(name + " virtual " + Thread.currentThread().isVirtual());
                    start.countDown();
                    start.await();
                    Curio.run(TestKernels.autojump().name(name), () -> {
                        Task<Void> ping = Curio.spawn(() -> alternate(trail, "ping", rounds));
                        Task<Void> pong = Curio.spawn(() -> alternate(trail, "pong", rounds));
                        Task<Void> sleeper = Curio.spawn(() -> {
                            long t0 = Curio.clock();
                            Curio.sleep(1.0);
                            trail.add(Kernel.current().name() + " sleeper " + (Curio.clock() - t0) / 1_000_000 + "ms");
                        });
                        ping.join();
                        pong.join();
                        sleeper.join();
                        trail.add(Kernel.current().name() + " joined");
                        return null;
                    });
                    return trail.events();
                }));
            }
            for (int i = 0; i < kernels; i++) {
                String name = "parallel-" + i;
                List<String> expected = new ArrayList<>();
                expected.add(name + " virtual false");
                for (int r = 0; r < rounds; r++) {
                    expected.add(name + " ping " + r);
                    expected.add(name + " pong " + r);
                }
                expected.add(name + " sleeper 1000ms");
                expected.add(name + " joined");
                assertThat(results.get(i).get()).containsExactlyElementsOf(expected);
            }
        }
    }

    private static void alternate(Trail trail, String who, int rounds) {
        for (int r = 0; r < rounds; r++) {
            trail.add(Kernel.current().name() + " " + who + " " + r);
            Curio.sleep(0);
        }
    }

    // Not in Curio's test_kernel.py (curio.run's shutdown, checked against Curio 1.6): when main
    // fails, the kernel is still shut down before the failure leaves run(): every remaining task,
    // daemon or not, is cancelled newest first, each cancellation waited for in turn.
    @Test
    void shutdownCancelsRemainingTasksNewestFirst() {
        Trail trail = new Trail();
        IllegalStateException boom = new IllegalStateException("boom");
        try {
            Curio.run(TestKernels.autojump(), () -> {
                Curio.spawn(() -> worker(trail, "w1"));
                Curio.spawnDaemon("w2", () -> worker(trail, "w2"));
                Curio.spawn(() -> worker(trail, "w3"));
                Curio.sleep(0);
                trail.add("main raises");
                throw boom;
            });
        } catch (IllegalStateException e) {
            trail.add("run raised " + e.getMessage() + ", same " + (e == boom));
        }
        assertThat(trail.events()).containsExactly(
                "main raises", "w3 cancelled", "w3 cleaned up", "w2 cancelled", "w2 cleaned up",
                "w1 cancelled", "w1 cleaned up", "run raised boom, same true");
    }

    private static void worker(Trail trail, String name) {
        try {
            Curio.sleep(100);
        } catch (CancelledError e) {
            trail.add(name + " cancelled");
            Curio.sleep(1);
            trail.add(name + " cleaned up");
            throw e;
        }
    }
}
