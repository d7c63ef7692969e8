package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code curio.max-tasks}: CurioTasks refuses a task once the kernel's live tasks, those its tasks
 * spawned included, reach the bound, counts the refusal, and admits again once tasks have ended.
 */
class CurioTasksAdmissionTests {

    @Test
    void beyondTheBoundATaskIsRefusedCountedAndAdmittedAgainOnceTasksEnd() throws Exception {
        var lifecycle = new CurioKernelLifecycle(Kernel.builder().name("admission").build(), Duration.ofSeconds(30));
        lifecycle.start();
        try {
            CurioTasks tasks = new CurioTasks(lifecycle, List.of(), 4);
            Kernel kernel = lifecycle.kernel();
            List<String> trail = new ArrayList<>();
            trail.add("live at start: " + kernel.taskCount()); // the kernel's own serving task
            CountDownLatch spawned = new CountDownLatch(1);
            CompletableFuture<Object> parent = tasks.submit("parent", () -> {
                Curio.spawn("child", () -> Curio.sleep(Duration.ofHours(1))); // spawned in the kernel: never refused
                spawned.countDown();
                return Curio.sleep(Duration.ofHours(1));
            });
            assertThat(spawned.await(30, TimeUnit.SECONDS)).isTrue();
            trail.add("live with parent and child: " + kernel.taskCount());
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Object> last = tasks.submit("last", () -> {
                started.countDown();
                return Curio.sleep(Duration.ofHours(1));
            });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> tasks.submit("one too many", () -> "never"))
                    .isInstanceOf(KernelFullException.class)
                    .hasMessage("kernel 'admission' has 4 live tasks, its bound (curio.max-tasks=4): refused task 'one too many'");
            trail.add("refused " + tasks.refused());
            last.cancel(true);
            while (kernel.taskCount() > 3) {
                Thread.onSpinWait(); // the cancelled task ends
            }
            trail.add("after one ended: " + tasks.submit("admitted", () -> "ran").get(30, TimeUnit.SECONDS));
            trail.add("refused " + tasks.refused());
            assertThat(trail).containsExactly("live at start: 1", "live with parent and child: 3", "refused 1",
                    "after one ended: ran", "refused 1");
            parent.cancel(true);
        } finally {
            lifecycle.stop();
        }
    }

    @Test
    void noBoundByDefaultAndANegativeOneIsRefused() {
        var lifecycle = new CurioKernelLifecycle(Kernel.builder().name("unbounded").build(), Duration.ofSeconds(30));
        assertThat(new CurioTasks(lifecycle, List.of()).maxTasks()).isZero();
        assertThatThrownBy(() -> new CurioTasks(lifecycle, List.of(), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTasks must be >= 0 (0: no bound), was -1");
        lifecycle.close();
    }
}
