package dev.curio.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.TaskError;
import dev.curio.TestKernels;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The debugging activations log what Curio's do, filtered by name, at the level asked. */
class DebugActivationTest {

    @Test
    void schedtraceLogsTheLifeOfFilteredTasksOnly() {
        CapturingLogger log = new CapturingLogger();
        Curio.run(TestKernels.autojump().activations(Debug.schedtrace().filter("spam").logger(log)), () -> {
            Curio.spawn("spam", () -> Curio.sleep(1)).join();
            Curio.spawn("eggs", () -> Curio.sleep(1)).join();
            return null;
        });
        assertThat(log.lines()).hasSize(6).allSatisfy(l -> assertThat(l).startsWith("INFO ").contains("name='spam'"));
        assertThat(log.lines()).extracting(l -> l.substring(5, l.indexOf(':')))
                .containsExactly("CREATE", "RUN", "SUSPEND", "RUN", "SUSPEND", "TERMINATED");
    }

    @Test
    void traptraceNamesTheTrapThatEndedEachCycle() {
        CapturingLogger log = new CapturingLogger();
        Curio.run(TestKernels.autojump().activations(Debug.traptrace().filter("spam").level(Level.DEBUG).logger(log)), () -> {
            Curio.spawn("spam", () -> Curio.sleep(2)).join();
            return null;
        });
        assertThat(log.lines()).extracting(l -> l.substring(0, l.indexOf(':')))
                .containsExactly("DEBUG CREATE", "DEBUG RUN", "DEBUG TRAP", "DEBUG SUSPEND", "DEBUG RUN",
                        "DEBUG SUSPEND", "DEBUG TERMINATED");
        assertThat(log.lines().get(2)).contains("Sleep[clock=2000000000, absolute=false]");
    }

    @Test
    void logcrashReportsFailuresButNotCancellations() {
        CapturingLogger log = new CapturingLogger();
        Curio.run(TestKernels.autojump().activations(Debug.logcrash().logger(log)), () -> {
            var bad = Curio.spawn("bad", () -> {
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(bad::join).isInstanceOf(TaskError.class).hasCauseInstanceOf(IllegalStateException.class);
            var sleeper = Curio.spawn("sleeper", () -> Curio.sleep(10));
            Curio.sleep(0);
            sleeper.cancel();
            return null;
        });
        assertThat(log.lines()).singleElement().asString().startsWith("ERROR Task(").contains("name='bad'").endsWith(" crashed");
        assertThat(log.thrown).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void longblockWarnsAboutATaskThatHeldTheKernelTooLong() {
        // The hog blocks the kernel for at least 30 ms, so a 10 ms threshold must report it; no
        // cycle can take an hour, so that threshold must report nothing. (Other tasks' cycles are
        // not asserted either way: their length depends on the machine.)
        CapturingLogger log = new CapturingLogger();
        CapturingLogger never = new CapturingLogger();
        Curio.run(TestKernels.autojump().activations(
                Debug.longblock(Duration.ofMillis(10)).filter("hog", "polite").logger(log),
                Debug.longblock(Duration.ofHours(1)).logger(never)), () -> {
            Curio.spawn("polite", () -> Curio.sleep(1)).join();
            Curio.spawn("hog", () -> {
                Thread.sleep(30); // blocks the whole kernel on purpose: that is what is measured
            }).join();
            return null;
        });
        assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARNING Task(").contains("name='hog'").contains(" ran for "));
        assertThat(never.lines()).isEmpty();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Debug.longblock(Duration.ofMillis(-1))).hasMessageContaining("maxTime");
        assertThatThrownBy(() -> Debug.schedtrace().filter()).hasMessageContaining("filter");
    }
}
