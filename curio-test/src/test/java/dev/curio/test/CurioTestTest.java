package dev.curio.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests written as a user writes them with {@link CurioTest}: the test method is the main task. */
@CurioTest
class CurioTestTest {

    private static final long S = 1_000_000_000L;

    private Kernel beforeEachKernel;

    @BeforeEach
    void rememberTheKernel(Kernel kernel) {
        beforeEachKernel = kernel;
    }

    @Test
    void tenMinutesOfSleepTakeNoTime() {
        long start = Curio.clock();
        Task<String> reminder = Curio.spawn(() -> {
            Curio.sleep(Duration.ofMinutes(10));
            return "tea";
        });
        assertThat(reminder.join()).isEqualTo("tea");
        assertThat(Curio.clock() - start).isEqualTo(600 * S);
    }

    @Test
    void orderingsFollowDeadlines() {
        List<String> trail = new ArrayList<>();
        Task<Void> slow = Curio.spawn(() -> {
            Curio.sleep(3.0);
            trail.add("slow at " + Curio.clock() / S + "s");
        });
        Task<Void> fast = Curio.spawn(() -> {
            Curio.sleep(1.0);
            trail.add("fast at " + Curio.clock() / S + "s");
        });
        slow.join();
        fast.join();
        assertThat(trail).containsExactly("fast at 1s", "slow at 3s");
    }

    @Test
    void aTimeoutExpiresOnTheManualClock() {
        try {
            Curio.timeoutAfter(Duration.ofMinutes(5), () -> Curio.sleep(Duration.ofHours(1)));
        } catch (TaskTimeout e) {
            assertThat(e.getMessage()).isEqualTo("timed out after 300 s");
            assertThat(Curio.clock()).isEqualTo(300 * S);
            return;
        }
        throw new AssertionError("no timeout");
    }

    @Test
    void theKernelAndClockAreTheTestsOwn(Kernel kernel, ManualClock clock) {
        assertThat(Kernel.current()).isSameAs(kernel).isSameAs(beforeEachKernel);
        assertThat(kernel.clock()).isSameAs(clock);
        assertThat(Curio.currentTask().name()).isEqualTo("theKernelAndClockAreTheTestsOwn");
        assertThat(Curio.clock()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 60})
    void parameterizedTestsRunInTheKernelToo(int seconds) {
        Curio.sleep(seconds);
        assertThat(Curio.clock()).isEqualTo(seconds * S);
    }

    // Without autojump the clock moves only when the test advances it.
    @Test
    @CurioTest(autojump = false)
    void aManualClockMovesOnlyWhenAdvanced(ManualClock clock) {
        List<String> trail = new ArrayList<>();
        Task<Void> sleeper = Curio.spawn(() -> {
            Curio.sleep(10.0);
            trail.add("woke at " + Curio.clock() / S + "s");
        });
        Curio.sleep(0);
        clock.advance(Duration.ofSeconds(9));
        Curio.sleep(0);
        trail.add("9s passed");
        clock.advance(Duration.ofSeconds(1));
        sleeper.join();
        assertThat(trail).containsExactly("9s passed", "woke at 10s");
    }

    @Nested
    class NestedClasses {
        @Test
        void runInTheKernelAsWell() {
            Curio.sleep(Duration.ofDays(1));
            assertThat(Curio.clock()).isEqualTo(86_400 * S);
        }
    }
}
