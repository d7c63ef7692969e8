package demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.spring.boot.CurioTasks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** A user's @SpringBootTest with the kernel bean on the manual clock: the README's example. */
@SpringBootTest(properties = "curio.clock=autojump")
class CheckoutTimeoutTests {
    @Autowired CurioTasks curio;

    @Test
    void aFiveMinuteTimeoutExpiresAtOnce() throws Exception {
        String outcome = curio.submit(() -> {
            try {
                return Curio.timeoutAfter(Duration.ofMinutes(5), () -> { Curio.sleep(Duration.ofHours(1)); return "slept"; });
            } catch (TaskTimeout e) {
                return e.getMessage();
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo("timed out after 300 s");
    }
}
