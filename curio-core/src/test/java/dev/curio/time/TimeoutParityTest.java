package dev.curio.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.TimeoutCancellationError;
import dev.curio.Trail;
import dev.curio.UncaughtTimeoutError;
import dev.curio.kernel.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Timeouts without a deadline of their own (Curio's {@code timeout_after(None, ...)}), sleeps of a
 * negative time, and what timeouts say when they reach the user. All on a manual clock starting at
 * 0, so the clocks in the events are exact.
 */
class TimeoutParityTest {

    private static final long MS = 1_000_000L;

    // Curio: test_nested_timeout_none (the outer timeout reaches the block through the None scope)
    @Test
    void nestedTimeoutNone() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(Duration.ofSeconds(1), () -> {
                    Curio.timeoutAfter((Duration) null, () -> {
                        trail.add("coro1 start");
                        Curio.sleep(2.0);
                        trail.add("coro1 done");
                    });
                    trail.add("coro1 success");
                    trail.add("coro2 start");
                    Curio.sleep(1.0);
                    trail.add("coro2 done");
                });
            } catch (TaskTimeout e) {
                trail.add("parent timeout at " + Curio.clock() / MS + "ms");
            }
        });
        assertThat(trail.events()).containsExactly("coro1 start", "parent timeout at 1000ms");
    }

    // Not in Curio's tests (Curio 1.6 raises TypeError here: see ADR 3): a None scope that
    // completes returns its block's value and leaves no deadline behind, inside or after it.
    @Test
    void noneScopeCompletes() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            String r = Curio.timeoutAfter((Duration) null, () -> {
                trail.add("deadline inside: " + Curio.currentDeadline().isPresent());
                Curio.sleep(600.0);
                return "done";
            });
            trail.add("result " + r + " at " + Curio.clock() / MS + "ms");
            boolean expired = Curio.ignoreAfter((Duration) null, () -> {
                Curio.sleep(1.0);
            });
            trail.add("ignoreAfter(null) expired " + expired);
            trail.add("deadline after: " + Curio.currentDeadline().isPresent());
        });
        assertThat(trail.events()).containsExactly(
                "deadline inside: false", "result done at 600000ms", "ignoreAfter(null) expired false",
                "deadline after: false");
    }

    // Not in Curio's tests: inside a None scope the enclosing deadline is the task's deadline, and
    // the block between the two scopes sees TimeoutCancellationError as inside any inner scope.
    @Test
    void noneScopeKeepsTheEnclosingDeadline() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Boolean r = Curio.ignoreAfter(Duration.ofMillis(300), () -> {
                try {
                    Curio.ignoreAfter((Duration) null, () -> {
                        trail.add("deadline inside " + Curio.currentDeadline().getAsLong() / MS + "ms");
                        return Curio.sleep(1.0);
                    });
                } catch (TimeoutCancellationError e) {
                    trail.add("between the scopes: " + e.getClass().getSimpleName());
                    throw e;
                }
                return true;
            });
            trail.add("outer result " + r + " at " + Curio.clock() / MS + "ms");
        });
        assertThat(trail.events()).containsExactly(
                "deadline inside 300ms", "between the scopes: TimeoutCancellationError", "outer result null at 300ms");
    }

    // Not in Curio's tests (Curio 1.6 raises TypeError): a None scope is transparent to a
    // timeout escaping an inner scope, which reaches the caller as it would without it; under an
    // outer scope with a deadline that did not expire, it is still an UncaughtTimeoutError.
    @Test
    void noneScopeIsTransparentToAnEscapingTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter((Duration) null, () -> Curio.timeoutAfter(Duration.ofSeconds(1), () -> Curio.sleep(5.0)));
            } catch (TaskTimeout e) {
                trail.add("caller sees " + e.getMessage());
            }
            try {
                Curio.timeoutAfter(Duration.ofSeconds(10), () -> Curio.timeoutAfter((Duration) null,
                        () -> Curio.timeoutAfter(Duration.ofSeconds(1), () -> Curio.sleep(5.0))));
            } catch (UncaughtTimeoutError e) {
                trail.add("under timeoutAfter(10): " + e.getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly(
                "caller sees timed out after 1 s", "under timeoutAfter(10): UncaughtTimeoutError");
    }

    // Not in Curio's tests: Curio's sleep of a negative time is sleep(0), a switch to the next
    // ready task that returns the clock.
    @Test
    void negativeSleepIsAYield() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Curio.sleep(2.0);
            Task<Void> other = Curio.spawn(() -> trail.add("other runs"));
            trail.add("sleep(-1.0) returns " + Curio.sleep(-1.0) / MS + "ms");
            Task<Void> another = Curio.spawn(() -> trail.add("another runs"));
            trail.add("sleep(-1s) returns " + Curio.sleep(Duration.ofSeconds(-1)) / MS + "ms");
            Task<Void> third = Curio.spawn(() -> trail.add("third runs"));
            trail.add("sleep(-inf) returns " + Curio.sleep(Double.NEGATIVE_INFINITY) / MS + "ms");
            other.join();
            another.join();
            third.join();
        });
        assertThat(trail.events()).containsExactly(
                "other runs", "sleep(-1.0) returns 2000ms",
                "another runs", "sleep(-1s) returns 2000ms",
                "third runs", "sleep(-inf) returns 2000ms");
    }

    // Not in Curio's tests: what each timeout says where it is seen, in seconds.
    @Test
    void timeoutsNameTheirTimeoutInSeconds() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(Duration.ofMillis(2500), () -> {
                    try {
                        Curio.sleep(10.0);
                    } catch (TaskTimeout e) {
                        trail.add("in the block: " + e.getMessage() + ", timeout " + e.timeout());
                        throw e;
                    }
                });
            } catch (TaskTimeout e) {
                trail.add("out of the scope: " + e.getMessage() + ", timeout " + e.timeout().orElseThrow()
                        + ", clock " + e.clock() / MS + "ms");
            }
            try {
                Curio.timeoutAfter(0.25, () -> {
                    try {
                        return Curio.timeoutAfter(Duration.ofSeconds(5), () -> Curio.sleep(10.0));
                    } catch (TimeoutCancellationError e) {
                        trail.add("out of the inner scope: " + e.getMessage());
                        throw e;
                    }
                });
            } catch (TaskTimeout e) {
                trail.add("outer scope: " + e.getMessage());
            }
            try {
                Curio.timeoutAt(Curio.clock() + 1_000 * MS, () -> Curio.sleep(10.0));
            } catch (TaskTimeout e) {
                trail.add("timeoutAt: " + e.getMessage() + ", timeout " + e.timeout());
            }
            try {
                Curio.timeoutAfter(Duration.ofSeconds(10), () -> Curio.timeoutAfter(Duration.ofNanos(1), () -> Curio.sleep(1.0)));
            } catch (UncaughtTimeoutError e) {
                trail.add("uncaught: " + e.getMessage().startsWith("Uncaught timeout received: a timeout escaped")
                        + ", cause " + e.getCause().getMessage());
            }
        });
        assertThat(trail.events()).containsExactly(
                "in the block: timeout at kernel clock 2.5 s, timeout Optional.empty",
                "out of the scope: timed out after 2.5 s, timeout PT2.5S, clock 2500ms",
                "out of the inner scope: cancelled by an enclosing timeout that expired at kernel clock 2.75 s",
                "outer scope: timed out after 0.25 s",
                "timeoutAt: timed out at kernel clock 3.75 s, timeout Optional.empty",
                "uncaught: true, cause timed out after 0.000000001 s");
    }

    // Not in Curio's tests: naming the timeout keeps the instance (what an interrupted operation
    // attached to it, such as PartialIo, stays), and an enclosing timeout passing through an
    // inner scope keeps what was attached to it too.
    @Test
    void namingATimeoutKeepsWhatWasAttachedToIt() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskTimeout[] inBlock = new TaskTimeout[1];
            try {
                Curio.timeoutAfter(Duration.ofSeconds(1), () -> {
                    try {
                        Curio.sleep(5.0);
                    } catch (TaskTimeout e) {
                        inBlock[0] = e;
                        e.addSuppressed(new IllegalStateException("progress record"));
                        throw e;
                    }
                });
            } catch (TaskTimeout e) {
                trail.add("same instance " + (e == inBlock[0]) + ", attached " + e.getSuppressed()[0].getMessage());
            }
            try {
                Curio.timeoutAfter(Duration.ofSeconds(1), () -> Curio.timeoutAfter(Duration.ofSeconds(10), () -> {
                    try {
                        return Curio.sleep(5.0);
                    } catch (TaskTimeout e) {
                        e.addSuppressed(new IllegalStateException("inner progress"));
                        throw e;
                    }
                }));
            } catch (TaskTimeout e) {
                trail.add(e.getMessage() + ", attached " + e.getSuppressed()[0].getMessage());
            }
        });
        assertThat(trail.events()).containsExactly(
                "same instance true, attached progress record", "timed out after 1 s, attached inner progress");
    }
}
