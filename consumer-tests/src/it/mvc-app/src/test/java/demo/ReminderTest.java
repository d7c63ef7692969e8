package demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.kernel.ManualClock;
import dev.curio.test.CurioTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A user's own test of a task on the manual clock: the README's "Testing with time" example. */
@CurioTest                       // each test method runs as the main task of a fresh kernel
class ReminderTest {
    @Test
    void remindsAfterTenMinutes() {
        var reminder = Curio.spawn(() -> { Curio.sleep(Duration.ofMinutes(10)); return "tea"; });
        assertThat(reminder.join()).isEqualTo("tea");                       // at once
        assertThat(Curio.clock()).isEqualTo(Duration.ofMinutes(10).toNanos());
    }

    @Test
    @CurioTest(autojump = false)  // time moves only when the test says so
    void waitsForTheClock(ManualClock clock) {
        var sleeper = Curio.spawn(() -> Curio.sleep(10.0));
        Curio.sleep(0);
        clock.advance(Duration.ofSeconds(10));
        assertThat(sleeper.join()).isEqualTo(Duration.ofSeconds(10).toNanos());   // sleep returns the clock
    }
}
