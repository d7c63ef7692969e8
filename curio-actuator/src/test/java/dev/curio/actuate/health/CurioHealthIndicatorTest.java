package dev.curio.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health indicator over a kernel watched by a {@link LongBlockWatch} whose ticker the test
 * moves and whose watchdog the test plays ({@link LongBlockWatch#check()}): a task "computes" (the
 * ticker advances while it holds the kernel), the scenario of the tutorial's fib() kid that makes
 * the kernel unresponsive. 120 ms is a long block (details, status UP); 11 s is a stall past the
 * 10 s threshold (DOWN); a kernel whose loop broke while served is DOWN with the cause. "Computing"
 * is a CPU-bound loop: a task blocked in a JDK call steps out of the kernel instead, which ends its
 * hold (tested too).
 */
class CurioHealthIndicatorTest {

    private final AtomicLong ticker = new AtomicLong();
    private final LongBlockWatch watch = new LongBlockWatch(Duration.ofMillis(50), ticker::get);
    private final Kernel kernel = Kernel.builder().name("hh").clock(ManualClock.manual()).activations(watch)
            .carrier(CarrierKind.OWNED).blockingCalls(BlockingCalls.RELEASE).build();
    private final CurioHealthIndicator health = new CurioHealthIndicator(kernel, watch, Duration.ofSeconds(10),
            Optional::empty);

    /** A task that "computes" for {@code hold} (the ticker moves while it holds the kernel) until released. */
    private record Hog(CompletableFuture<Long> id, CountDownLatch release, CompletableFuture<Object> done) {}

    /** Starts the hog; returns once the watchdog has seen it hold the kernel for {@code hold}. */
    private Hog hog(Duration hold) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> id = new CompletableFuture<>();
        CompletableFuture<Object> done = kernel.submit("fib", () -> {
            id.complete(Curio.currentTask().id());
            holding.countDown();
            while (release.getCount() > 0) {
                Thread.onSpinWait(); // "computing" while holding the kernel
            }
            return null;
        });
        holding.await();
        watch.check(); // the watchdog's first look at the hold
        ticker.addAndGet(hold.toNanos());
        watch.check(); // and its look after it
        return new Hog(id, release, done);
    }

    private void finish(Hog h) {
        h.release().countDown();
        h.done().join();
        kernel.inKernel(k -> null).join(); // fib's last cycle has ended (it finished before this poll)
        watch.check(); // the watchdog sees it ended
    }

    @Test
    void aLongBlockShowsInTheDetailsButTheKernelStaysUp() throws Exception {
        KernelThread kt = KernelThread.start(kernel);
        try {
            Health idle = health.health();
            assertThat(idle.getStatus()).isEqualTo(Status.UP);
            assertThat(idle.getDetails()).containsEntry("kernel", "hh").containsEntry("running", true)
                    .containsEntry("longBlocks", 0L).containsEntry("longBlockThreshold", "PT0.05S")
                    .containsEntry("stallThreshold", "PT10S")
                    .doesNotContainKey("lastLongBlock").doesNotContainKey("heldBy");

            Hog h = hog(Duration.ofMillis(120));
            Health held = health.health();
            assertThat(held.getStatus()).as("a slow task is not an unhealthy application").isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Object> by = (Map<String, Object>) held.getDetails().get("heldBy");
            assertThat(by).containsEntry("task", h.id().join()).containsEntry("name", "fib").containsEntry("heldMs", 120L);
            assertThat((String) by.get("where")).contains("CurioHealthIndicatorTest.lambda$");
            assertThat(held.getDetails()).doesNotContainKey("stalled");

            finish(h);
            Health after = health.health();
            assertThat(after.getStatus()).isEqualTo(Status.UP);
            assertThat(after.getDetails()).containsEntry("longBlocks", 1L)
                    .containsEntry("lastLongBlock", Map.of("task", h.id().join(), "name", "fib", "heldMs", 120L))
                    .doesNotContainKey("heldBy");
        } finally {
            kt.stop(Duration.ofSeconds(30));
        }
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("running", false);
    }

    @Test
    void aStepOutEndsTheHoldSoATaskBlockedInTheJdkIsNeitherHeldByNorALongBlock() throws Exception {
        // the reader blocks in LinkedBlockingQueue.take(): it steps out of the kernel, and the
        // watchdog, looking before and after 120 ms of it (past the 50 ms threshold), sees no hold
        KernelThread kt = KernelThread.start(kernel);
        try {
            LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
            CompletableFuture<Task<?>> reader = new CompletableFuture<>();
            CompletableFuture<Object> done = kernel.submit("reader", () -> {
                reader.complete(Curio.currentTask());
                return queue.take();
            });
            Task<?> t = reader.join();
            while (!t.steppedOut()) {
                Thread.onSpinWait();
            }
            watch.check();
            ticker.addAndGet(Duration.ofMillis(120).toNanos());
            watch.check();
            assertThat(watch.ongoing(Duration.ZERO)).as("nobody holds the kernel while the reader is out").isNull();
            Health out = health.health();
            assertThat(out.getStatus()).isEqualTo(Status.UP);
            assertThat(out.getDetails()).containsEntry("longBlocks", 0L).doesNotContainKey("heldBy")
                    .doesNotContainKey("lastLongBlock");
            assertThat(t.state()).isEqualTo("BLOCKED");

            queue.put("line");
            assertThat(done.join()).isEqualTo("line");
            kernel.inKernel(k -> null).join(); // the reader's last cycle has ended
            watch.check();
            assertThat(health.health().getDetails()).containsEntry("longBlocks", 0L).doesNotContainKey("lastLongBlock");
        } finally {
            kt.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void aKernelHeldPastTheStallThresholdIsDownNamingTheTaskThenUpAgain() throws Exception {
        KernelThread kt = KernelThread.start(kernel);
        try {
            Hog h = hog(Duration.ofSeconds(11));
            Health stalled = health.health();
            assertThat(stalled.getStatus()).isEqualTo(Status.DOWN);
            assertThat(stalled.getDetails()).containsEntry("running", true).containsEntry("stalled", "task "
                    + h.id().join() + " (fib) has held the kernel for 11000 ms, over the stall threshold of 10000 ms"
                    + " (curio.health.stall-threshold)");
            @SuppressWarnings("unchecked")
            Map<String, Object> by = (Map<String, Object>) stalled.getDetails().get("heldBy");
            assertThat(by).containsEntry("name", "fib").containsEntry("heldMs", 11000L);

            finish(h);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("longBlocks", 1L).doesNotContainKey("stalled");
        } finally {
            kt.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void aServedKernelThatDiedIsDownWithTheCause() {
        Kernel fragile = Kernel.builder().name("fragile").clock(ManualClock.manual()).activations(watch).build();
        KernelThread kt = KernelThread.start(fragile);
        CurioHealthIndicator h = new CurioHealthIndicator(fragile, watch, Duration.ofSeconds(10), kt::failure);
        assertThat(h.health().getStatus()).isEqualTo(Status.UP);
        // An action posted to the inbox that throws stops the loop (a throwing activation no longer does).
        fragile.post(() -> {
            throw new IllegalStateException("the scheduler broke on purpose");
        });
        await(() -> kt.failure().isPresent()); // the kernel thread has recorded its death
        Health dead = h.health();
        assertThat(dead.getStatus()).isEqualTo(Status.DOWN);
        assertThat(dead.getDetails()).containsEntry("kernel", "fragile").containsKey("failure");
        assertThat(dead.getDetails().get("failure").toString()).contains("an action posted to its inbox threw");
    }

    /** The real thing: a watch on real time, looked at by its own watchdog thread. */
    @Test
    void theWatchdogThreadSeesALongBlockAndEndsWithItsKernel() throws Exception {
        LongBlockWatch real = new LongBlockWatch(Duration.ofMillis(50));
        Kernel k = Kernel.builder().name("watched").activations(real).build();
        KernelThread kt = KernelThread.start(k);
        Thread watchdog;
        try {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> done = k.submit("hog", () -> {
                holding.countDown();
                while (release.getCount() > 0) {
                    Thread.onSpinWait(); // holds the kernel: a CPU-bound loop inside a task
                }
                return null;
            });
            holding.await();
            await(() -> real.count() == 1); // the watchdog counted it while it lasts
            LongBlockWatch.Block now = real.ongoing();
            assertThat(now).isNotNull();
            assertThat(now.taskName()).isEqualTo("hog");
            assertThat(now.held()).isGreaterThan(real.threshold()); // what ongoing() promises
            assertThat(real.last()).as("not over yet").isNull();
            watchdog = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("curio-watched-health-watchdog")).findFirst().orElseThrow();
            assertThat(watchdog.isDaemon()).isTrue();
            release.countDown();
            done.join();
            await(() -> real.last() != null); // the watchdog saw it end
            assertThat(real.last().taskName()).isEqualTo("hog");
            assertThat(real.last().held()).isGreaterThan(real.threshold());
            assertThat(real.count()).isEqualTo(1);
        } finally {
            kt.stop(Duration.ofSeconds(30));
        }
        watchdog.join(); // ended with the kernel
    }

    /** Waits for what another thread (the watchdog) makes true. */
    private static void await(java.util.function.BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
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
        assertThatThrownBy(() -> new CurioHealthIndicator(kernel, watch, Duration.ZERO, Optional::empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stallThreshold must be positive, was PT0S");
    }
}
