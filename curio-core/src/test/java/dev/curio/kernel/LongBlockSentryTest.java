package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.LogCapture;
import dev.curio.Trail;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * What still holds a kernel too long is said while it holds it: a WARN naming the task, how long
 * and where (its frames taken then), with what to do; the task keeps it as its last long block.
 */
class LongBlockSentryTest {

    @Test
    void cpuWorkThatHoldsTheKernelIsReportedWhileItHolds() {
        Trail trail = new Trail();
        try (LogCapture log = LogCapture.of(LongBlock.class)) {
            Curio.run(Kernel.builder().longBlockThreshold(Duration.ofMillis(20)), () -> {
                Kernel k = Curio.currentTask().kernel();
                Task<?> hog = Curio.spawn("hog", () -> {
                    while (k.longBlocks() == 0) {
                        Thread.onSpinWait(); // CPU work: no trap, nothing the JDK unmounts
                    }
                    trail.add("hog seen while holding: " + Curio.currentTask().lastLongBlock().map(b -> !b.ended()).orElse(false));
                    Curio.sleep(0); // the hold ends here
                });
                hog.join();
                while (!hog.lastLongBlock().orElseThrow().ended()) {
                    Curio.sleep(0.001);
                }
                LongBlock b = hog.lastLongBlock().orElseThrow();
                trail.add("ended, held at least 20 ms: " + (b.held().compareTo(Duration.ofMillis(20)) > 0));
                trail.add("frames name the hog's code: " + b.where().stream().anyMatch(f -> f.contains("LongBlockSentryTest")));
                trail.add("parked in the JDK: " + b.parkedInJdk());
                trail.add("kernel counted: " + k.longBlocks());
                return null;
            });
            assertThat(trail.events()).containsExactly(
                    "hog seen while holding: true",
                    "ended, held at least 20 ms: true",
                    "frames name the hog's code: true",
                    "parked in the JDK: false",
                    "kernel counted: 1");
            assertThat(log.lines("WARNING")).singleElement().asString()
                    .contains("name='hog'").contains("has held kernel '").contains("without reaching a trap")
                    .contains("long-block threshold 20 ms").contains("\tat dev.curio.kernel.LongBlockSentryTest")
                    .contains("Workers.runInThread").contains("Workers.runInProcess");
        }
    }

    @Test
    void aBlockingCallUnderTheStrictRuleIsReportedAsSuch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture log = LogCapture.of(LongBlock.class)) {
            Kernel.Builder strict = Kernel.builder().blockingCalls(BlockingCalls.HOLD).longBlockThreshold(Duration.ofMillis(20));
            Thread releaser = Thread.ofPlatform().start(() -> {
                while (log.lines("WARNING").isEmpty()) {
                    Thread.onSpinWait();
                }
                release.countDown();
            });
            Curio.run(strict, () -> {
                Curio.spawn("waiter", () -> {
                    release.await(); // held under HOLD: the kernel waits with it
                }).join();
                return null;
            });
            releaser.join();
            assertThat(log.lines("WARNING")).singleElement().asString()
                    .contains("name='waiter'").contains("blocked in a JDK call, and blocking calls hold this kernel");
        }
    }

    @Test
    void warningsAreRateLimitedButEveryBlockIsCounted() {
        try (LogCapture log = LogCapture.of(LongBlock.class)) {
            long counted = Curio.run(Kernel.builder().longBlockThreshold(Duration.ofMillis(10)), () -> {
                Kernel k = Curio.currentTask().kernel();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    Curio.spawn(() -> {
                        while (k.longBlocks() < n) {
                            Thread.onSpinWait();
                        }
                    }).join();
                }
                return k.longBlocks();
            });
            assertThat(counted).isEqualTo(3);
            assertThat(log.lines("WARNING")).hasSize(1);
        }
    }

    @Test
    void theThresholdIsValidated() {
        assertThatThrownBy(() -> Kernel.builder().longBlockThreshold(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longBlockThreshold must be positive");
        try (Kernel k = Kernel.builder().longBlockThreshold(null).build()) {
            assertThat(k.longBlockThreshold()).isEmpty();
        }
    }
}
