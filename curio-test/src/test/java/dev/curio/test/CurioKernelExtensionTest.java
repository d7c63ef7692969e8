package dev.curio.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.AsyncOnlyError;
import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fixture form: the test gets a kernel on the manual clock and runs it itself, as Curio's tests do. */
@ExtendWith(CurioKernelExtension.class)
class CurioKernelExtensionTest {

    // Curio: test_kernel.py test_sleep, on the extension's kernel.
    @Test
    void theTestRunsTheKernel(Kernel kernel, ManualClock clock) {
        assertThatThrownBy(Curio::currentTask).isInstanceOf(AsyncOnlyError.class); // the test is not a task
        List<String> results = new ArrayList<>();
        long elapsed = kernel.run(() -> {
            long start = Curio.clock();
            results.add("start");
            Curio.sleep(Duration.ofMinutes(1));
            results.add("end");
            return Curio.clock() - start;
        });
        assertThat(results).containsExactly("start", "end");
        assertThat(elapsed).isEqualTo(Duration.ofMinutes(1).toNanos());
        assertThat(clock.nanos()).isEqualTo(elapsed);
        assertThat(kernel.run(() -> "again")).isEqualTo("again"); // the same kernel, for successive runs
    }

    @Test
    void eachTestHasAFreshKernelAndClock(Kernel kernel, ManualClock clock) {
        assertThat(clock.nanos()).isZero();
        assertThat(kernel.clock()).isSameAs(clock);
        assertThat(kernel.run(() -> Curio.clock())).isZero();
    }
}
