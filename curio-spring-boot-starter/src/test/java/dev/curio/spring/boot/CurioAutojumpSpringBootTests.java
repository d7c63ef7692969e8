package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.ManualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

/** The README's "Testing with time" example for a Boot application: {@code curio.clock=autojump}. */
@SpringBootTest(properties = "curio.clock=autojump")
class CurioAutojumpSpringBootTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @Autowired
    CurioTasks curio;

    @Autowired
    ManualClock clock;

    @Autowired
    Kernel kernel;

    @Test
    void aFiveMinuteTimeoutExpiresAtOnce() throws Exception {
        String outcome = curio.submit(() -> {
            try {
                return Curio.timeoutAfter(Duration.ofMinutes(5), () -> {
                    Curio.sleep(Duration.ofHours(1));
                    return "slept";
                });
            } catch (TaskTimeout e) {
                return e.getMessage();
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo("timed out after 300 s");
        assertThat(kernel.clock()).isSameAs(clock);
        assertThat(clock.nanos()).isGreaterThanOrEqualTo(Duration.ofMinutes(5).toNanos());
    }
}
