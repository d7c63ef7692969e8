package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import dev.curio.task.TaskGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The kernel's life in a Spring context: start, submissions, the bounded graceful stop. */
@ExtendWith(OutputCaptureExtension.class)
class CurioKernelLifecycleTests {

    @Test
    void workSubmittedBeforeStartRunsOnceStarted() throws Exception {
        var lifecycle = new CurioKernelLifecycle(Kernel.builder().name("early").build(), Duration.ofSeconds(5));
        CompletableFuture<String> f = lifecycle.submit("early-task", () -> "ran in " + Curio.currentTask().name());
        assertThat(lifecycle.isRunning()).isFalse();
        lifecycle.start();
        assertThat(lifecycle.isRunning()).isTrue();
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("ran in early-task");
        lifecycle.stop();
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(lifecycle.unfinishedAtStop()).isEmpty();
    }

    @Test
    void stopCancelsRemainingTasksAndRefusesNewWork() throws Exception {
        var lifecycle = new CurioKernelLifecycle(Kernel.builder().name("stopping").build(), Duration.ofSeconds(30));
        lifecycle.start();
        CompletableFuture<Void> asleep = new CompletableFuture<>();
        CompletableFuture<Object> sleeper = lifecycle.submit("sleeper", () -> {
            asleep.complete(null);
            return Curio.sleep(Duration.ofHours(1));
        });
        asleep.get(30, TimeUnit.SECONDS);
        lifecycle.stop();
        assertThatThrownBy(() -> sleeper.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TaskCancelled.class);
        assertThat(lifecycle.unfinishedAtStop()).isEmpty();
        assertThatThrownBy(() -> lifecycle.submit("late", () -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Curio kernel 'stopping' is stopped; it accepts no work");
    }

    /**
     * The tutorial's server shape: a server with a group of clients, each a handler whose reader
     * runs in a group of its own, and who says goodbye when cancelled. On stop the server, the
     * one top-level task, is cancelled first: its group cancels the handlers and each says
     * goodbye. The kernel's shutdown alone cancels newest first: each reader went first, each
     * handler's group then ended normally, and no client heard a goodbye.
     */
    @Test
    void stopCancelsTheTopLevelTasksFirstSoAServerSaysGoodbyeToEachClient() throws Exception {
        var lifecycle = new CurioKernelLifecycle(Kernel.builder().name("goodbye").build(), Duration.ofSeconds(30));
        lifecycle.start();
        List<String> trail = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(3);
        CompletableFuture<Object> server = lifecycle.submit("server", () -> {
            try (TaskGroup clients = new TaskGroup()) {
                for (int i = 1; i <= 3; i++) {
                    String client = "client-" + i;
                    clients.spawn(client, () -> {
                        try (TaskGroup io = new TaskGroup(TaskGroup.Wait.ANY)) {
                            io.spawn("reader", () -> {
                                reading.countDown();
                                return Curio.sleep(Duration.ofHours(1));
                            });
                            io.join();
                        } catch (CancelledError e) {
                            trail.add(client + " says goodbye");
                            throw e;
                        }
                        trail.add(client + " ended without a goodbye");
                        return null;
                    });
                }
                clients.join();
            }
            return null;
        });
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
        lifecycle.stop();
        assertThat(trail).containsExactlyInAnyOrder("client-1 says goodbye", "client-2 says goodbye",
                "client-3 says goodbye");
        assertThatThrownBy(() -> server.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(TaskCancelled.class);
        assertThat(lifecycle.unfinishedAtStop()).isEmpty();
    }

    @Test
    void stopLogsTasksStillAliveAfterTheTimeoutByNameAndState(CapturedOutput output) throws Exception {
        var lifecycle = new CurioKernelLifecycle(Kernel.builder().name("stubborn").build(), Duration.ofMillis(100));
        lifecycle.start();
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> entered = new CompletableFuture<>();
        CompletableFuture<String> stubborn = lifecycle.submit("holdout", () -> {
            Curio.disableCancellation(() -> {
                entered.complete(null);
                Kernel.trap(new Trap.FutureWait(release)); // ignores the shutdown's cancellation
            });
            return "finished late";
        });
        entered.get(30, TimeUnit.SECONDS);
        lifecycle.stop(); // returns after the 100 ms bound: the task waits for `release`
        List<Task<?>> left = lifecycle.unfinishedAtStop();
        assertThat(left).extracting(Task::name).containsExactly("holdout");
        long id = left.get(0).id();
        assertThat(output.getOut() + output.getErr()).contains(
                "Curio kernel 'stubborn': 1 task(s) still running 100 ms after cancellation (curio.shutdown-timeout): holdout [id "
                        + id + ", FUTURE_WAIT]");
        release.complete(null);
        assertThat(stubborn.get(30, TimeUnit.SECONDS)).isEqualTo("finished late");
    }

    /**
     * A task holding the kernel (it never traps) past curio.shutdown-timeout while the context
     * closes: one WARN names it, and no bean's close fails (the kernel bean used to be closed by
     * the context too, throwing "kernel ... is already running" while its thread still ran).
     * Once the task lets go, the kernel thread finishes the shutdown and closes the kernel.
     */
    @Test
    void contextCloseWhileATaskHoldsTheKernelWarnsOnceAndNoCloseFails(CapturedOutput output) throws Exception {
        var ctx = new org.springframework.context.annotation.AnnotationConfigApplicationContext();
        org.springframework.boot.test.util.TestPropertyValues.of("curio.kernel-name=held",
                "curio.shutdown-timeout=100ms").applyTo(ctx);
        ctx.register(CurioAutoConfiguration.class);
        ctx.refresh();
        Kernel kernel = ctx.getBean(Kernel.class);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Object> held = ctx.getBean(CurioTasks.class).submit("cruncher", () -> {
            holding.countDown();
            while (release.getCount() > 0) {
                Thread.onSpinWait(); // holds the kernel: no trap until released (a blocking call would step out)
            }
            return Curio.sleep(Duration.ofHours(1)); // the shutdown's cancellation lands here
        });
        holding.await();
        ctx.close(); // the lifecycle's stop waits 100 ms, then the beans are destroyed
        String log = output.getOut() + output.getErr();
        assertThat(log).doesNotContain("already running").doesNotContain("destroy method");
        // (the kernel's long-block warning about the cruncher may come too, from its own logger)
        assertThat(log.lines().filter(l -> l.contains("WARN") && !l.contains("dev.curio.kernel.LongBlock")).toList())
                .hasSize(1).first().asString()
                .contains("Curio kernel 'held': 1 task(s) still running 100 ms after cancellation "
                        + "(curio.shutdown-timeout): cruncher [id ");
        assertThat(kernel.isRunning()).isTrue();
        release.countDown();
        assertThatThrownBy(() -> held.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(TaskCancelled.class);
    }

    @Test
    void closeWithoutStartRefusesWorkAndClosesTheKernel() {
        Kernel never = Kernel.builder().name("never").build();
        var lifecycle = new CurioKernelLifecycle(never, Duration.ofSeconds(1));
        lifecycle.close();
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(lifecycle.failure()).isEmpty();
        assertThatThrownBy(() -> never.run(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("kernel 'never' has been shut down; create a new kernel");
        assertThatThrownBy(() -> lifecycle.submit("x", () -> 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new CurioKernelLifecycle(null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel must not be null");
        Kernel k = Kernel.builder().build();
        assertThatThrownBy(() -> new CurioKernelLifecycle(k, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shutdownTimeout must be >= 0, was PT-1S");
    }
}
