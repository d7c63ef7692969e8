package dev.curio.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * How tests that use the extension end, seen from JUnit: the scenario classes below run through
 * the JUnit launcher (surefire leaves nested classes alone), and their outcomes are checked.
 */
class ExtensionOutcomesTest {

    static final List<String> TRAIL = new CopyOnWriteArrayList<>();
    static volatile Kernel fixtureKernel;

    private static TestExecutionSummary run(Class<?> scenario) {
        TRAIL.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(scenario)).build(),
                listener);
        return listener.getSummary();
    }

    @CurioTest
    static class FailingScenario {
        @Test
        void assertionFails() {
            Curio.sleep(1.0);
            throw new AssertionError("expected 1 but was 2");
        }

        @Test
        void checkedExceptionEscapes() throws IOException {
            Curio.sleep(1.0);
            throw new IOException("disk on fire");
        }
    }

    @Test
    void aTestsOwnFailureReachesJUnitUnchanged() {
        TestExecutionSummary summary = run(FailingScenario.class);
        assertThat(summary.getTestsFailedCount()).isEqualTo(2);
        assertThat(summary.getFailures()).extracting(f -> f.getException().getClass().getSimpleName() + ": "
                        + f.getException().getMessage())
                .containsExactlyInAnyOrder("AssertionError: expected 1 but was 2", "IOException: disk on fire");
    }

    @CurioTest
    static class LeftoverScenario {
        @Test
        void leavesATaskRunning() {
            Curio.spawn("leftover", () -> {
                try {
                    Curio.sleep(3600.0);
                } catch (CancelledError e) {
                    TRAIL.add("leftover cancelled at close");
                    throw e;
                }
            });
            Curio.sleep(0);
            TRAIL.add("test returns");
        }
    }

    @Test
    void whatATestLeavesRunningIsCancelledWhenItsKernelCloses() {
        TestExecutionSummary summary = run(LeftoverScenario.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(TRAIL).containsExactly("test returns", "leftover cancelled at close");
    }

    @ExtendWith(CurioKernelExtension.class)
    static class FixtureScenario {
        @Test
        void usesTheKernel(Kernel kernel) {
            fixtureKernel = kernel;
            TRAIL.add("ran " + kernel.run(() -> "main"));
        }
    }

    @Test
    void theFixturesKernelIsClosedAfterTheTest() {
        TestExecutionSummary summary = run(FixtureScenario.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(TRAIL).containsExactly("ran main");
        try {
            fixtureKernel.run(() -> "after");
            TRAIL.add("kernel still open");
        } catch (IllegalStateException e) {
            TRAIL.add(e.getMessage());
        }
        assertThat(TRAIL).containsExactly("ran main", "kernel 'test' has been shut down; create a new kernel");
    }
}
