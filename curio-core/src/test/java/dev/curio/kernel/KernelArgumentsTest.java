package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Block;
import dev.curio.CheckedRunnable;
import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.VoidBlock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments to the kernel's entry points are refused with an {@link IllegalArgumentException}
 * that names the argument (Curio raises a {@code TypeError}/{@code ValueError} from Python itself;
 * ours are explicit). A refused call must not disturb the calling task: each scenario goes on
 * sleeping and records that it still runs.
 */
class KernelArgumentsTest {

    /** Records how {@code call} fared; {@code named} lists the acceptable argument names, split by '|'. */
    private static void refused(Trail trail, String what, String named, ThrowingCallable call) {
        try {
            call.call();
            trail.add(what + ": accepted");
        } catch (IllegalArgumentException e) {
            boolean names = false;
            for (String n : named.split("\\|")) {
                names |= e.getMessage() != null && e.getMessage().contains(n);
            }
            trail.add(what + ": " + (names ? "refused naming " + named
                    : "refused without naming " + named + " (" + e.getMessage() + ")"));
        } catch (Throwable e) {
            trail.add(what + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    // Not in Curio's tests: NaN, infinite and null sleeps (a negative one is Curio's sleep(0),
    // see TimeoutParityTest).
    @Test
    void badSleeps() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            refused(trail, "sleep(NaN)", "seconds", () -> Curio.sleep(Double.NaN));
            refused(trail, "sleep(+inf)", "seconds", () -> Curio.sleep(Double.POSITIVE_INFINITY));
            refused(trail, "sleep(null)", "duration", () -> Curio.sleep((Duration) null));
            long before = Curio.clock();
            Curio.sleep(0.25);
            trail.add("task still sleeps: " + (Curio.clock() - before) / 1_000_000 + "ms");
        });
        assertThat(trail.events()).containsExactly(
                "sleep(NaN): refused naming seconds",
                "sleep(+inf): refused naming seconds",
                "sleep(null): refused naming duration",
                "task still sleeps: 250ms");
    }

    // Not in Curio's tests: negative and NaN timeouts, in every timeout form (a null one is
    // Curio's timeout_after(None), see TimeoutParityTest). A refused timeout leaves no deadline behind.
    @Test
    void badTimeouts() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Block<Long, RuntimeException> nap = () -> Curio.sleep(1.0);
            refused(trail, "timeoutAfter(-1.0)", "timeout", () -> Curio.timeoutAfter(-1.0, nap));
            refused(trail, "timeoutAfter(NaN)", "timeout", () -> Curio.timeoutAfter(Double.NaN, nap));
            refused(trail, "timeoutAfter(-1ms)", "timeout", () -> Curio.timeoutAfter(Duration.ofMillis(-1), nap));
            refused(trail, "ignoreAfter(-1ms)", "timeout", () -> Curio.ignoreAfter(Duration.ofMillis(-1), nap));
            refused(trail, "Timeout.after(-1ms)", "timeout", () -> dev.curio.time.Timeout.after(Duration.ofMillis(-1)));
            trail.add("deadline left: " + Curio.currentDeadline().isPresent());
            Curio.sleep(5.0);
            trail.add("slept without timeout");
        });
        assertThat(trail.events()).containsExactly(
                "timeoutAfter(-1.0): refused naming timeout",
                "timeoutAfter(NaN): refused naming timeout",
                "timeoutAfter(-1ms): refused naming timeout",
                "ignoreAfter(-1ms): refused naming timeout",
                "Timeout.after(-1ms): refused naming timeout",
                "deadline left: false",
                "slept without timeout");
    }

    // Not in Curio's tests: null bodies, inside a task.
    @Test
    void nullBodiesInATask() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            refused(trail, "spawn(Callable null)", "body", () -> Curio.spawn((Callable<Object>) null));
            refused(trail, "spawn(CheckedRunnable null)", "body", () -> Curio.spawn((CheckedRunnable) null));
            refused(trail, "spawn(name, null)", "body", () -> Curio.spawn("n", (Callable<Object>) null));
            refused(trail, "spawnDaemon(name, null)", "body", () -> Curio.spawnDaemon("d", (CheckedRunnable) null));
            refused(trail, "timeoutAfter(d, null)", "body",
                    () -> Curio.timeoutAfter(Duration.ofSeconds(1), (Block<Object, RuntimeException>) null));
            refused(trail, "timeoutAfter(d, null void)", "body",
                    () -> Curio.timeoutAfter(Duration.ofSeconds(1), (VoidBlock<RuntimeException>) null));
            refused(trail, "ignoreAfter(d, null)", "body",
                    () -> Curio.ignoreAfter(Duration.ofSeconds(1), (Block<Object, RuntimeException>) null));
            refused(trail, "disableCancellation(null)", "body",
                    () -> Curio.disableCancellation((Block<Object, RuntimeException>) null));
            refused(trail, "cancel(null exc)", "exc", () -> Curio.currentTask().cancel((Throwable) null, false));
            trail.add("tasks left: " + Kernel.current().taskCount());
            Curio.sleep(0);
            trail.add("main still runs");
        });
        assertThat(trail.events()).containsExactly(
                "spawn(Callable null): refused naming body",
                "spawn(CheckedRunnable null): refused naming body",
                "spawn(name, null): refused naming body",
                "spawnDaemon(name, null): refused naming body",
                "timeoutAfter(d, null): refused naming body",
                "timeoutAfter(d, null void): refused naming body",
                "ignoreAfter(d, null): refused naming body",
                "disableCancellation(null): refused naming body",
                "cancel(null exc): refused naming exc",
                "tasks left: 1",
                "main still runs");
    }

    // Not in Curio's tests: null main bodies given to a kernel (a null main must not silently
    // become a single scheduling step).
    @Test
    void nullMainBodies() {
        Trail trail = new Trail();
        try (Kernel k = TestKernels.autojump().build()) {
            refused(trail, "Kernel.run(null)", "main", () -> k.run((Callable<Object>) null));
            refused(trail, "Kernel.run(name, null)", "main", () -> k.run("m", (Callable<Object>) null));
            trail.add("kernel still runs: " + k.run(() -> "yes"));
        }
        refused(trail, "Curio.run(Callable null)", "main|body", () -> Curio.run((Callable<Object>) null));
        refused(trail, "Curio.run(CheckedRunnable null)", "main|body", () -> Curio.run((CheckedRunnable) null));
        assertThat(trail.events()).containsExactly(
                "Kernel.run(null): refused naming main",
                "Kernel.run(name, null): refused naming main",
                "kernel still runs: yes",
                "Curio.run(Callable null): refused naming main|body",
                "Curio.run(CheckedRunnable null): refused naming main|body");
    }

    // Not in Curio: the idle kernel's socket polling time is bounded and defaults to 20 us.
    @Test
    void ioSpinIsBounded() {
        Trail trail = new Trail();
        refused(trail, "ioSpin(-1ns)", "ioSpin", () -> Kernel.builder().ioSpin(Duration.ofNanos(-1)));
        refused(trail, "ioSpin(11ms)", "ioSpin", () -> Kernel.builder().ioSpin(Duration.ofMillis(11)));
        refused(trail, "ioSpin(0)", "ioSpin", () -> Kernel.builder().ioSpin(Duration.ZERO));
        try (Kernel k = Kernel.builder().build()) {
            trail.add("default " + k.ioSpin());
        }
        try (Kernel k = Kernel.builder().ioSpin(Duration.ofMillis(1)).build()) {
            trail.add("set " + k.ioSpin());
        }
        assertThat(trail.events()).containsExactly(
                "ioSpin(-1ns): refused naming ioSpin",
                "ioSpin(11ms): refused naming ioSpin",
                "ioSpin(0): accepted",
                "default PT0.00002S",
                "set PT0.001S");
    }
}
