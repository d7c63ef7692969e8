package dev.curio.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health indicator over a kernel watched by a {@link LongBlockWatch} whose ticker the test
 * moves: a task "computes" for 120 ms (the test advances the ticker while the task holds the
 * kernel), the scenario of the tutorial's fib() kid that makes the kernel unresponsive.
 */
class CurioHealthIndicatorTest {

    private final AtomicLong ticker = new AtomicLong();
    private final LongBlockWatch watch = new LongBlockWatch(Duration.ofMillis(50), ticker::get);
    private final Kernel kernel = Kernel.builder().name("hh").clock(ManualClock.manual()).activations(watch).build();
    private final CurioHealthIndicator health = new CurioHealthIndicator(kernel, watch);

    @Test
    void downWhileATaskHoldsTheKernelTooLongNamingItThenUpWithTheBlockRemembered() throws Exception {
        KernelThread kt = KernelThread.start(kernel);
        try {
            Health idle = health.health();
            assertThat(idle.getStatus()).isEqualTo(Status.UP);
            assertThat(idle.getDetails()).containsEntry("kernel", "hh").containsEntry("running", true)
                    .containsEntry("longBlocks", 0L).containsEntry("longBlockThreshold", "PT0.05S")
                    .doesNotContainKey("lastLongBlock").doesNotContainKey("heldBy");

            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> id = new CompletableFuture<>();
            CompletableFuture<Object> done = kernel.submit("fib", () -> {
                id.complete(Curio.currentTask().id());
                ticker.addAndGet(Duration.ofMillis(120).toNanos()); // "computing" while holding the kernel
                holding.countDown();
                release.await();
                return null;
            });
            holding.await();
            Health held = health.health();
            assertThat(held.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> by = (Map<String, Object>) held.getDetails().get("heldBy");
            assertThat(by).containsEntry("task", id.join()).containsEntry("name", "fib").containsEntry("heldMs", 120L);
            assertThat((String) by.get("where")).contains("CurioHealthIndicatorTest.lambda$");

            release.countDown();
            done.join();
            kernel.inKernel(k -> null).join(); // fib's last cycle has ended (it finished before this poll)
            Health after = health.health();
            assertThat(after.getStatus()).isEqualTo(Status.UP);
            assertThat(after.getDetails()).containsEntry("longBlocks", 1L)
                    .containsEntry("lastLongBlock", Map.of("task", id.join(), "name", "fib", "heldMs", 120L))
                    .doesNotContainKey("heldBy");
        } finally {
            kt.stop(Duration.ofSeconds(30));
        }
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("running", false);
    }

    @Test
    void aKernelNotRunningIsDown() {
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("running", false).containsEntry("kernel", "hh");
    }

    @Test
    void aKernelBuiltWithoutTheWatchIsUpAndSaysSo() {
        Kernel other = Kernel.builder().name("plain").clock(ManualClock.manual()).build();
        KernelThread kt = KernelThread.start(other);
        try {
            Health h = new CurioHealthIndicator(other, watch).health();
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails()).containsEntry("longBlocks",
                    "not watched: LongBlockWatch is not an activation of this kernel");
        } finally {
            kt.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new LongBlockWatch(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold must be positive, was PT0S");
        assertThatThrownBy(() -> new LongBlockWatch(Duration.ofMillis(1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ticker must not be null");
        assertThatThrownBy(() -> new CurioHealthIndicator(null, watch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel must not be null");
        assertThatThrownBy(() -> new CurioHealthIndicator(kernel, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("watch must not be null");
    }
}
