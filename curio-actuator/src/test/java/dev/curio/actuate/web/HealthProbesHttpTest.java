package dev.curio.actuate.web;

import static dev.curio.actuate.web.TestApp.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.actuate.health.LongBlockWatch;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The README's probe configuration ({@code readiness} includes {@code curio}, {@code liveness}
 * stays {@code livenessState} only) over real HTTP, with the watch's ticker moved by the test: a
 * task holding the kernel past the long-block threshold (120 ms) leaves {@code /actuator/health},
 * readiness and liveness at 200, naming the task in the curio component; the same task past the
 * stall threshold (10 s) takes readiness and the overall health to 503 and leaves liveness at 200;
 * released, readiness is 200 again.
 */
@SpringBootTest(classes = {TestApp.class, HealthProbesHttpTest.Ticker.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
                "management.endpoints.web.exposure.include=health", "management.endpoint.health.show-details=always",
                "curio.kernel-name=probes", "curio.health.stall-threshold=10",
                "management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.group.readiness.include=readinessState,curio"})
class HealthProbesHttpTest {

    static final AtomicLong TICKER = new AtomicLong();

    @TestConfiguration(proxyBeanMethods = false)
    static class Ticker {
        /** Replaces the auto-configured watch (it backs off): the same threshold, the test's ticker. */
        @Bean
        LongBlockWatch curioLongBlockWatch() {
            return new LongBlockWatch(Duration.ofMillis(50), TICKER::get);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Autowired
    LongBlockWatch watch;

    private int status(String path) throws Exception {
        return get(port, path).status();
    }

    @Test
    void aLongBlockKeepsEveryProbeUpAStallTakesReadinessNotLivenessDown() throws Exception {
        TestApp.Answer ready = get(port, "/actuator/health/readiness");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("components").has("curio")).as("readiness includes curio").isTrue();
        TestApp.Answer live = get(port, "/actuator/health/liveness");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().has("components") && live.json().get("components").has("curio"))
                .as("liveness does not include curio").isFalse();

        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> done = tasks.run("fib", () -> {
            holding.countDown();
            while (release.getCount() > 0) {
                Thread.onSpinWait(); // "computing" while it holds the kernel (a blocking call would step out)
            }
        });
        try {
            holding.await();
            watch.check(); // the watchdog's first look at the hold (the test plays the watchdog)
            TICKER.addAndGet(Duration.ofMillis(120).toNanos());
            watch.check();
            TestApp.Answer curio = get(port, "/actuator/health/curio");
            assertThat(curio.status()).isEqualTo(200);
            assertThat(curio.json().get("status").asString()).isEqualTo("UP");
            assertThat(curio.json().get("details").get("heldBy").get("name").asString()).isEqualTo("fib");
            assertThat(curio.json().get("details").get("heldBy").get("heldMs").asLong()).isEqualTo(120);
            assertThat(status("/actuator/health")).as("a long block is not an unhealthy application").isEqualTo(200);
            assertThat(status("/actuator/health/readiness")).isEqualTo(200);
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);

            TICKER.addAndGet(Duration.ofSeconds(11).toNanos()); // the same hold, now past the stall threshold
            TestApp.Answer stalled = get(port, "/actuator/health/readiness");
            assertThat(stalled.status()).isEqualTo(503);
            assertThat(stalled.json().get("components").get("curio").get("details").get("stalled").asString())
                    .contains("(fib) has held the kernel for 11120 ms");
            assertThat(status("/actuator/health")).isEqualTo(503);
            assertThat(status("/actuator/health/liveness")).as("a stalled kernel is not restarted by the probe")
                    .isEqualTo(200);
        } finally {
            release.countDown();
        }
        done.join();
        kernel.inKernel(k -> null).join(); // fib's last cycle has ended
        watch.check();
        assertThat(status("/actuator/health/readiness")).isEqualTo(200);
        assertThat(get(port, "/actuator/health/curio").json().get("details").get("longBlocks").asLong()).isEqualTo(1);
    }
}
