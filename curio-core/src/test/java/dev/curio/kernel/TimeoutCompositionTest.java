package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.TimeoutCancellationError;
import dev.curio.Trail;
import dev.curio.time.Timeout;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Timeout scopes composed beyond Curio 1.6's {@code test_kernel.py}, as the manual describes them
 * ("all of the timeout-related functions can be composed and layered together in any
 * configuration"): ignoring and raising scopes nested either way, deadlines passing inside a scope,
 * absolute deadlines. Each list of events was checked against Curio 1.6 where Curio can express
 * the scenario; the exceptions are noted.
 */
class TimeoutCompositionTest {

    private static final long MS = 1_000_000L;

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    // Not in Curio's test_kernel.py (the manual: timeouts compose in any layering): an ignoring
    // scope outside a raising one. The inner sees TimeoutCancellationError, the outer expires.
    @Test
    void ignoreAfterAroundTimeoutAfter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long t0 = Curio.clock();
            Timeout outer = Timeout.ignoreAfter(ms(1000));
            outer.call(() -> {
                try {
                    Curio.timeoutAfter(5, () -> Curio.sleep(10));
                } catch (TaskTimeout e) {
                    trail.add("not here");
                } catch (TimeoutCancellationError e) {
                    trail.add("inner TimeoutCancellationError");
                    throw e;
                }
                return null;
            });
            trail.add("outer expired " + outer.expired() + " at " + (Curio.clock() - t0) / MS + "ms");
        });
        assertThat(trail.events()).containsExactly("inner TimeoutCancellationError", "outer expired true at 1000ms");
    }

    // Not in Curio's test_kernel.py: a raising scope outside an ignoring one. The ignoring scope
    // did not expire, so it must not swallow the outer timeout.
    @Test
    void timeoutAfterAroundIgnoreAfter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Timeout inner = Timeout.ignoreAfter(ms(5000));
            try {
                Curio.timeoutAfter(1, () -> {
                    inner.call(() -> Curio.sleep(10));
                    trail.add("not here");
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("outer TaskTimeout, inner expired " + inner.expired());
            }
        });
        assertThat(trail.events()).containsExactly("outer TaskTimeout, inner expired false");
    }

    // Not in Curio's test_kernel.py: the inner deadline comes first; the outer scope keeps its own.
    @Test
    void innerTimeoutFirstThenOuter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long t0 = Curio.clock();
            try {
                Curio.timeoutAfter(5, () -> {
                    try {
                        Curio.timeoutAfter(1, () -> Curio.sleep(10));
                    } catch (TaskTimeout e) {
                        trail.add("inner TaskTimeout at " + (e.clock() - t0) / MS + "ms");
                    }
                    trail.add("deadline now " + (Curio.currentDeadline().getAsLong() - t0) / MS + "ms");
                    Curio.sleep(1);
                    trail.add("outer still running");
                    Curio.sleep(10);
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("outer TaskTimeout at " + (e.clock() - t0) / MS + "ms");
            }
            trail.add("deadline left " + Curio.currentDeadline().isPresent());
        });
        assertThat(trail.events()).containsExactly(
                "inner TaskTimeout at 1000ms", "deadline now 5000ms", "outer still running",
                "outer TaskTimeout at 5000ms", "deadline left false");
    }

    // Not in Curio's test_kernel.py: two ignoring scopes, the outer expiring first.
    @Test
    void nestedIgnoreAfter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Timeout outer = Timeout.ignoreAfter(ms(1000));
            Timeout inner = Timeout.ignoreAfter(ms(2000));
            outer.call(() -> {
                inner.call(() -> Curio.sleep(10));
                trail.add("not here");
                return null;
            });
            trail.add("outer " + outer.expired() + " inner " + inner.expired());
        });
        assertThat(trail.events()).containsExactly("outer true inner false");
    }

    // Not in Curio's test_kernel.py: absolute deadlines (timeout_at / ignore_at) and the timeout
    // result of ignoreAfter. Curio 1.6's function form of ignore_after drops timeout_result and
    // returns None; the manual documents it as returned, which is what we do.
    @Test
    void absoluteDeadlinesAndTimeoutResult() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long t0 = Curio.clock();
            try {
                Curio.timeoutAt(t0 + 300 * MS, () -> Curio.sleep(1));
            } catch (TaskTimeout e) {
                trail.add("timeoutAt expired at " + (Curio.clock() - t0) / MS + "ms");
            }
            trail.add("ignoreAt " + Curio.ignoreAt(t0 + 500 * MS, () -> Curio.sleep(1)) + " at "
                    + (Curio.clock() - t0) / MS + "ms");
            trail.add("ignoreAfter " + Curio.ignoreAfter(ms(100), () -> {
                Curio.sleep(1);
                return "done";
            }, "late"));
            trail.add("ignoreAfter " + Curio.ignoreAfter(ms(100), () -> "done", "late"));
        });
        assertThat(trail.events()).containsExactly(
                "timeoutAt expired at 300ms", "ignoreAt null at 500ms", "ignoreAfter late", "ignoreAfter done");
    }

    // Not in Curio's test_kernel.py (Curio's trap_unset_timeout "evil corner case", checked
    // against Curio 1.6): an outer deadline that passed while an inner scope ran without blocking
    // is delivered at a later blocking operation, to the outer scope, as a TaskTimeout. A
    // sleep(0) only yields, so it is the sleep after it that raises.
    @Test
    void outerDeadlinePassedInsideInnerScope() {
        Trail trail = new Trail();
        ManualClock clock = ManualClock.autojump();
        Curio.run(Kernel.builder().clock(clock), () -> {
            try {
                Timeout.after(ms(100)).call(() -> {
                    Timeout.after(ms(5000)).call(() -> {
                        trail.add("inner blocks");
                        clock.advance(ms(200)); // Curio: time.sleep(0.2)
                        return null;
                    });
                    trail.add("inner left");
                    Curio.sleep(0);
                    trail.add("sleep(0) ok");
                    Curio.sleep(1);
                    trail.add("not here");
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("outer TaskTimeout");
            }
            Curio.sleep(0);
            trail.add("after");
            return null;
        });
        assertThat(trail.events()).containsExactly("inner blocks", "inner left", "sleep(0) ok", "outer TaskTimeout", "after");
    }

    // Not in Curio's test_kernel.py: a timed-out join leaves the task running and joinable.
    @Test
    void joinTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long t0 = Curio.clock();
            Task<Integer> t = Curio.spawn(() -> {
                Curio.sleep(5);
                trail.add("child done");
                return 7;
            });
            try {
                Curio.timeoutAfter(1, t::join);
                trail.add("not here");
            } catch (TaskTimeout e) {
                trail.add("join timed out at " + (Curio.clock() - t0) / MS + "ms, child " + t.state());
            }
            trail.add("joined " + t.join() + " at " + (Curio.clock() - t0) / MS + "ms");
        });
        assertThat(trail.events()).containsExactly(
                "join timed out at 1000ms, child TIME_SLEEP", "child done", "joined 7 at 5000ms");
    }

    // Not in Curio's test_kernel.py: on a manual clock a sleep and the timeout around it can fall
    // due at the same instant. The time queue orders a task's sleep before its timeout (as Curio's
    // does), so the sleep completes and the timeout, left pending, is dropped when its scope ends.
    @Test
    void sleepAndTimeoutDueTogether() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long t0 = Curio.clock();
            Curio.timeoutAfter(1, () -> Curio.sleep(1));
            trail.add("slept at " + (Curio.clock() - t0) / MS + "ms");
            Curio.sleep(1);
            trail.add("no stray timeout");
        });
        assertThat(trail.events()).containsExactly("slept at 1000ms", "no stray timeout");
    }
}
