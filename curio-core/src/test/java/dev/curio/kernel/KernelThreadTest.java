package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.Trail;
import dev.curio.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A kernel serving work submitted from plain threads, and its bounded stop. */
class KernelThreadTest {

    @Test
    void platformThreadsSubmitTasksAndGetTheirResults() throws Exception {
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("served").build())) {
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            List<Thread> submitters = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int th = 0; th < 4; th++) {
                int base = th * 100;
                List<CompletableFuture<Integer>> mine = new ArrayList<>();
                futures.addAll(java.util.Collections.nCopies(0, null));
                submitters.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    for (int i = 0; i < 100; i++) {
                        int v = base + i;
                        mine.add(kt.submit("job-" + v, () -> {
                            Curio.sleep(0);
                            return v * 2;
                        }));
                    }
                    synchronized (futures) {
                        futures.addAll(mine);
                    }
                }));
            }
            go.countDown();
            for (Thread t : submitters) {
                t.join();
            }
            int sum = 0;
            for (var f : futures) {
                sum += f.get();
            }
            assertThat(futures).hasSize(400);
            assertThat(sum).isEqualTo(2 * (399 * 400 / 2));
        }
    }

    @Test
    void aFailedTaskFailsItsFuture() {
        try (KernelThread kt = KernelThread.start(new Kernel())) {
            var f = kt.submit("bad", () -> {
                throw new IllegalArgumentException("bad input");
            });
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void cancellingTheFutureCancelsTheTask() throws Exception {
        Trail trail = new Trail();
        CompletableFuture<Void> asleep = new CompletableFuture<>();
        CompletableFuture<Void> gone = new CompletableFuture<>();
        try (KernelThread kt = KernelThread.start(new Kernel())) {
            var f = kt.submit("sleeper", () -> {
                try {
                    asleep.complete(null);
                    Curio.sleep(3600);
                } catch (CancelledError e) {
                    trail.add("cancelled: " + e.getMessage());
                    gone.complete(null);
                    throw e;
                }
                return null;
            });
            asleep.get();
            f.cancel(false);
            gone.get();
            assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
        }
        assertThat(trail.events()).containsExactly("cancelled: submitted future was cancelled");
    }

    @Test
    void stopCancelsRemainingTasksAndRefusesNewWork() throws Exception {
        Trail trail = new Trail();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        KernelThread kt = KernelThread.start(new Kernel());
        kt.submit("worker", () -> {
            try {
                ready.complete(null);
                Curio.sleep(3600);
            } finally {
                trail.add("worker unwound");
            }
            return null;
        });
        ready.get();
        assertThat(kt.stop(Duration.ofSeconds(30))).isEmpty();
        assertThat(kt.isFinished()).isTrue();
        assertThat(trail.events()).containsExactly("worker unwound");
        assertThatThrownBy(() -> kt.submit("late", () -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accepts no work");
    }

    @Test
    void stopReportsATaskThatDoesNotFinishInTime() throws Exception {
        ManualClock clock = ManualClock.manual();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture<Void> stubborn = new CompletableFuture<>();
        KernelThread kt = KernelThread.start(Kernel.builder().clock(clock).build());
        kt.submit("stubborn", () -> {
            ready.complete(null);
            try {
                Curio.sleep(3600);
            } catch (CancelledError e) {
                stubborn.complete(null);
                Curio.sleep(60); // cleans up slowly: keeps the kernel from finishing
            }
            return null;
        });
        ready.get();
        List<Task<?>> left = kt.stop(Duration.ofMillis(100));
        assertThat(left).extracting(Task::name).containsExactly("stubborn"); // not the kernel's own tasks
        stubborn.get();
        clock.advance(Duration.ofSeconds(60));
        while (!kt.isFinished()) {
            Thread.onSpinWait(); // finishes once the advanced clock wakes the stubborn task
        }
        assertThat(kt.kernel().isShutDown()).isTrue();
    }

    @Test
    void eventsWorkInServedKernels() throws Exception {
        try (KernelThread kt = KernelThread.start(new Kernel())) {
            Event e = new Event();
            var waiter = kt.submit("waiter", () -> {
                e.await();
                return "woken";
            });
            kt.submit("setter", () -> {
                e.set();
                return null;
            }).get();
            assertThat(waiter.get()).isEqualTo("woken");
        }
    }

    @Test
    void cancellingTheMainTaskFromOutsideIsRefusedAndTheKernelKeepsServing() throws Exception {
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("guarded").build())) {
            Task<?> main = kt.kernel().inKernel(k -> k.tasksSnapshot().stream().filter(Task::system)
                    .findFirst().orElseThrow()).get();
            assertThatThrownBy(() -> kt.kernel().cancelTask(main.id(), new dev.curio.TaskCancelled("x")).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SystemTaskCancelRefused.class)
                    .hasMessageContaining("task " + main.id() + " (kernel-main) is a system task of kernel 'guarded'");
            assertThat(kt.submit("after", () -> "still serving").get()).isEqualTo("still serving");
            assertThat(kt.failure()).isEmpty();
        }
    }

    @Test
    void userCodeCannotCancelTheMainTaskFromInsideEither() throws Exception {
        try (KernelThread kt = KernelThread.start(new Kernel())) {
            String refused = kt.submit("rogue", () -> {
                Task<?> main = Kernel.current().tasksSnapshot().stream().filter(Task::system).findFirst().orElseThrow();
                try {
                    main.cancel();
                    return "cancelled";
                } catch (SystemTaskCancelRefused e) {
                    return "refused";
                }
            }).get();
            assertThat(refused).isEqualTo("refused");
            assertThat(kt.submit("after", () -> 42).get()).isEqualTo(42);
        }
    }
}
