package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.LogCapture;
import dev.curio.TaskError;
import dev.curio.Trail;
import dev.curio.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
    void aFailedTaskFailsItsFutureAndIsNotLoggedAsACrash() {
        Kernel kernel = new Kernel();
        try (KernelThread kt = KernelThread.start(kernel); LogCapture log = LogCapture.of(Kernel.class)) {
            var f = kt.submit("bad", () -> {
                throw new IllegalArgumentException("bad input");
            });
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            // A task spawned by submitted work is not submitted: its crash is logged, as in Curio.
            var g = kt.submit("parent", () -> {
                Task<Object> child = Curio.spawn("child", () -> {
                    throw new IllegalStateException("child broke");
                });
                return child.join();
            });
            assertThatThrownBy(g::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TaskError.class);
            kernel.inKernel(k -> null).join(); // both tasks' ends are behind this poll, and with them their lines
            assertThat(log.lines("ERROR")).singleElement().asString().startsWith("ERROR Task Crash: Task(")
                    .contains("name='child'");
            assertThat(log.thrown()).filteredOn(t -> t != null).singleElement()
                    .isInstanceOf(IllegalStateException.class);
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

    /** An activation that throws in every hook it has, for one task only. */
    private record ThrowingActivation(String victim) implements Activation {
        private void fail(Task<?> t, String hook) {
            if (t.name().equals(victim)) {
                throw new IllegalStateException("monitoring bug in " + hook);
            }
        }

        @Override
        public void created(Task<?> t) {
            fail(t, "created");
        }

        @Override
        public void running(Task<?> t) {
            fail(t, "running");
        }

        @Override
        public void suspended(Task<?> t, Trap trap) {
            fail(t, "suspended");
        }

        @Override
        public void terminated(Task<?> t) {
            fail(t, "terminated");
        }

        @Override
        public String toString() {
            return "ThrowingActivation";
        }
    }

    @Test
    void anActivationThatThrowsIsLoggedOnceAndTheKernelCarriesOn() throws Exception {
        // The victim runs once straight from the loop (submitted) and once handed the kernel by
        // its parent's thread (spawned, then joined): either way it runs and nothing wedges.
        Trail trail = new Trail();
        try (LogCapture log = LogCapture.of(Kernel.class)) {
            KernelThread kt = KernelThread.start(Kernel.builder().name("observed")
                    .activations(new ThrowingActivation("victim")).build());
            trail.add(kt.submit("victim", () -> {
                Curio.sleep(0);
                return "submitted victim ran";
            }).get(30, TimeUnit.SECONDS));
            trail.add(kt.submit("parent", () -> Curio.spawn("victim", () -> {
                Curio.sleep(0);
                return "spawned victim ran";
            }).join()).get(30, TimeUnit.SECONDS));
            assertThat(kt.stop(Duration.ofSeconds(30))).isEmpty();
            assertThat(kt.failure()).isEmpty();
            assertThat(trail.events()).containsExactly("submitted victim ran", "spawned victim ran");
            assertThat(log.lines("ERROR")).singleElement().asString()
                    .startsWith("ERROR activation ThrowingActivation of kernel observed threw in created(")
                    .contains("the kernel carries on");
            assertThat(log.thrown().get(0)).hasMessage("monitoring bug in created");
            // per victim: created, two running, two suspended, terminated
            assertThat(kt.kernel().activationFailures()).isEqualTo(12);
        }
    }

    @Test
    void aPostedActionThatThrowsOnATasksThreadKillsTheKernelLoudly() throws Exception {
        // The task posts the action, then yields: the kernel drains its inbox on this task's
        // thread during the hand-off, which is where a failure used to strand the kernel.
        aPostedActionThatThrowsKillsTheKernelLoudly(true);
    }

    @Test
    void aPostedActionThatThrowsInTheIdleLoopKillsTheKernelLoudly() throws Exception {
        aPostedActionThatThrowsKillsTheKernelLoudly(false);
    }

    private void aPostedActionThatThrowsKillsTheKernelLoudly(boolean fromTask) throws Exception {
        Trail trail = new Trail();
        CompletableFuture<Void> asleep = new CompletableFuture<>();
        Runnable broken = () -> {
            throw new IllegalStateException("broken action");
        };
        try (LogCapture log = LogCapture.of(KernelThread.class)) {
            KernelThread kt = KernelThread.start(Kernel.builder().name("doomed").build());
            var bystander = kt.submit("bystander", () -> {
                try {
                    if (fromTask) {
                        Kernel.current().post(broken);
                        Curio.sleep(0);
                    }
                    asleep.complete(null);
                    Curio.sleep(3600);
                } catch (CancelledError e) {
                    trail.add("bystander cancelled by the kernel's close");
                    throw e;
                }
                return null;
            });
            if (!fromTask) {
                asleep.get();
                kt.kernel().post(broken);
            }
            assertThatThrownBy(() -> bystander.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(CancelledError.class);
            assertThat(kt.stop(Duration.ofSeconds(30))).isEmpty(); // died: nothing left to stop
            assertThat(kt.isFinished()).isTrue();
            assertThat(kt.kernel().isShutDown()).isTrue();
            assertThat(kt.failure()).get().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                    .hasMessageContaining("kernel 'doomed' stopped: an action posted to its inbox threw")
                    .cause().hasMessage("broken action");
            assertThat(log.lines("ERROR")).containsExactly(
                    "ERROR kernel 'doomed' died while serving; it is closed and accepts no more work");
            assertThat(log.thrown().get(0)).isSameAs(kt.failure().get());
            assertThatThrownBy(() -> kt.submit("late", () -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("kernel 'doomed' died");
        }
        assertThat(trail.events()).containsExactly("bystander cancelled by the kernel's close");
    }

    // The idle kernel spins on non-blocking polls while sockets are waited on, and a non-blocking
    // poll consumes a selector wake-up: a clock advanced during the spin once left the kernel
    // asleep in the selector with the sleeper's deadline passed. The longest spin makes the
    // window wide; each round advances right after the kernel answered, inside its spin.
    @Test
    void aClockAdvancedWhileTheIdleKernelSpinsOnItsSocketsWakesTheSleeper() throws Exception {
        ManualClock clock = ManualClock.manual();
        dev.curio.io.Socket[] pair = dev.curio.io.Loopback.pair();
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("spinning").clock(clock)
                .ioSpin(Kernel.MAX_IO_SPIN).build())) {
            Kernel k = kt.kernel();
            CompletableFuture<byte[]> reader = kt.submit("reader", () -> pair[1].recv(10));
            List<String> woke = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                int r = round;
                CompletableFuture<String> sleeper = kt.submit("sleeper", () -> {
                    Curio.sleep(Duration.ofSeconds(1));
                    return "woke " + r;
                });
                while (!k.inKernel(kk -> kk.tasks().stream().anyMatch(t -> t.name().equals("sleeper")
                        && t.state().equals("TIME_SLEEP"))).get(30, TimeUnit.SECONDS)) {
                    Thread.onSpinWait();
                }
                clock.advance(Duration.ofSeconds(1));
                woke.add(sleeper.get(30, TimeUnit.SECONDS));
            }
            assertThat(woke).hasSize(20).startsWith("woke 0").endsWith("woke 19");
            reader.cancel(true);
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }
}
