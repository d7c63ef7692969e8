package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.TimeoutCancellationError;
import dev.curio.Trail;
import dev.curio.UncaughtTimeoutError;
import dev.curio.time.Timeout;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Ports of the timeout scenarios of Curio 1.6's {@code tests/test_kernel.py}. Curio's function form
 * ({@code await timeout_after(s, coro)}) maps to {@code Curio.timeoutAfter(seconds, block)}, its
 * context-manager form ({@code async with timeout_after(s)}) to a {@link Timeout} scope object's
 * {@code call}. Every list of events is the one Curio 1.6 produces, on a manual clock.
 */
class TimeoutTest {

    private static final long MS = 1_000_000L;

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    // Curio: test_sleep_timeout
    @Test
    void sleepTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("sleeper start");
                try {
                    Curio.timeoutAfter(0.1, () -> Curio.sleep(1));
                    trail.add("not here");
                } catch (TaskTimeout e) {
                    trail.add("timeout at " + e.clock() / MS + "ms");
                }
            });
            t.join();
            trail.add("joined");
        });
        assertThat(trail.events()).containsExactly("sleeper start", "timeout at 100ms", "joined");
    }

    // Curio: test_sleep_ignore_timeout
    @Test
    void sleepIgnoreTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("ignore func " + Curio.ignoreAfter(ms(100), () -> Curio.sleep(1)));
                Timeout s = Timeout.ignoreAfter(ms(100));
                Boolean r = s.call(() -> {
                    Curio.sleep(1);
                    trail.add("not here");
                    return true;
                });
                trail.add("ignore block result " + r + " expired " + s.expired());
                Timeout s2 = Timeout.ignoreAfter(ms(1000));
                r = s2.call(() -> {
                    Curio.sleep(0.1);
                    return true;
                });
                trail.add("ignore block result " + r + " expired " + s2.expired());
            });
            t.join();
            trail.add("joined");
        });
        assertThat(trail.events()).containsExactly(
                "ignore func null",
                "ignore block result null expired true",
                "ignore block result true expired false",
                "joined");
    }

    // Curio: test_sleep_ignore_timeout, the form returning whether the block was cut short
    @Test
    void ignoreAfterVoidBlockReportsExpiry() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            boolean expired = Curio.ignoreAfter(ms(100), () -> {
                Curio.sleep(1);
                trail.add("not here");
            });
            trail.add("cut short " + expired);
            expired = Curio.ignoreAfter(ms(100), () -> {
                Curio.sleep(0.05);
                trail.add("block done");
            });
            trail.add("cut short " + expired);
        });
        assertThat(trail.events()).containsExactly("cut short true", "block done", "cut short false");
    }

    // Curio: test_sleep_notimeout
    @Test
    void sleepNoTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long start = Curio.clock();
            Task<Void> t = Curio.spawn(() -> {
                try {
                    Curio.timeoutAfter(0.5, () -> Curio.sleep(0.1));
                    trail.add("no timeout");
                } catch (TaskTimeout e) {
                    trail.add("not here");
                }
                Curio.sleep(0.5);
                trail.add("slept past the old deadline at " + (Curio.clock() - start) / MS + "ms");
            });
            t.join();
            trail.add("joined");
        });
        assertThat(trail.events()).containsExactly("no timeout", "slept past the old deadline at 600ms", "joined");
    }

    private static void coro(Trail trail, String name, double seconds) {
        trail.add(name + " start");
        Curio.sleep(seconds);
        trail.add(name + " done");
    }

    // Curio: test_nested_timeout (function form: the parent's timeout expires first)
    @Test
    void nestedTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(0.75, () -> {
                    try {
                        Curio.timeoutAfter(5, () -> {
                            coro(trail, "coro1", 1);
                            return null;
                        });
                        trail.add("coro1 success");
                    } catch (TaskTimeout e) {
                        trail.add("coro1 timeout");
                    } catch (TimeoutCancellationError e) {
                        trail.add("coro1 timeout cancel");
                    }
                    coro(trail, "coro2", 1);
                    trail.add("coro2 success");
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("parent timeout");
            }
        });
        assertThat(trail.events()).containsExactly("coro1 start", "coro1 timeout cancel", "coro2 start", "parent timeout");
    }

    // Curio: test_nested_context_timeout (scope-object form)
    @Test
    void nestedContextTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Timeout.after(ms(750)).call(() -> {
                    try {
                        Timeout.after(ms(5000)).call(() -> {
                            coro(trail, "coro1", 1);
                            return null;
                        });
                        trail.add("coro1 success");
                    } catch (TaskTimeout e) {
                        trail.add("coro1 timeout");
                    } catch (TimeoutCancellationError e) {
                        trail.add("coro1 timeout cancel");
                    }
                    coro(trail, "coro2", 1);
                    trail.add("coro2 success");
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("parent timeout");
            }
        });
        assertThat(trail.events()).containsExactly("coro1 start", "coro1 timeout cancel", "coro2 start", "parent timeout");
    }

    // Curio: test_nested_context_timeout2 (scope objects, three deep; only the outermost expired)
    @Test
    void nestedContextTimeout2() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Timeout.after(ms(100)).call(() -> {
                    try {
                        Timeout.after(ms(15_000)).call(() -> {
                            try {
                                Timeout.after(ms(10_000)).call(() -> Curio.sleep(5));
                                trail.add("not here");
                            } catch (CancelledError e) {
                                trail.add("coro1 " + e.getClass().getSimpleName());
                                throw e;
                            }
                            return null;
                        });
                    } catch (CancelledError e) {
                        trail.add("coro2 " + e.getClass().getSimpleName());
                        throw e;
                    }
                    return null;
                });
            } catch (Throwable e) {
                trail.add("parent " + e.getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly(
                "coro1 TimeoutCancellationError", "coro2 TimeoutCancellationError", "parent TaskTimeout");
    }

    // Curio: test_nested_context_timeout3 (the same with the function form)
    @Test
    void nestedContextTimeout3() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(0.1, () -> {
                    try {
                        Curio.timeoutAfter(15, () -> {
                            try {
                                Curio.timeoutAfter(10, () -> Curio.sleep(5));
                                trail.add("not here");
                            } catch (CancelledError e) {
                                trail.add("coro1 " + e.getClass().getSimpleName());
                                throw e;
                            }
                            return null;
                        });
                    } catch (CancelledError e) {
                        trail.add("coro2 " + e.getClass().getSimpleName());
                        throw e;
                    }
                    return null;
                });
            } catch (Throwable e) {
                trail.add("parent " + e.getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly(
                "coro1 TimeoutCancellationError", "coro2 TimeoutCancellationError", "parent TaskTimeout");
    }

    // Curio: test_nested_timeout_uncaught (function form)
    @Test
    void nestedTimeoutUncaught() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(10, () -> Curio.timeoutAfter(1, () -> {
                    coro(trail, "coro1", 5);
                    return null;
                }));
            } catch (TaskTimeout e) {
                trail.add("parent timeout");
            } catch (UncaughtTimeoutError e) {
                trail.add("uncaught timeout, cause " + e.getCause().getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly("coro1 start", "uncaught timeout, cause TaskTimeout");
    }

    // Curio: test_nested_context_timeout_uncaught (scope-object form)
    @Test
    void nestedContextTimeoutUncaught() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Timeout.after(ms(10_000)).call(() -> Timeout.after(ms(1000)).call(() -> {
                    coro(trail, "coro1", 5);
                    return null;
                }));
            } catch (TaskTimeout e) {
                trail.add("parent timeout");
            } catch (UncaughtTimeoutError e) {
                trail.add("uncaught timeout, cause " + e.getCause().getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly("coro1 start", "uncaught timeout, cause TaskTimeout");
    }

    // Curio: test_nested_timeout_none. Java has no "no timeout" value (a null duration is refused,
    // see KernelArgumentsTest), so the inner block runs without a scope of its own.
    @Test
    void nestedTimeoutNone() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(1, () -> {
                    coro(trail, "coro1", 2);
                    trail.add("coro1 success");
                    coro(trail, "coro2", 1);
                    trail.add("coro2 success");
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("parent timeout");
            }
        });
        assertThat(trail.events()).containsExactly("coro1 start", "parent timeout");
    }

    // Curio: test_task_cancel_timeout (cancelling a task also cancels its timeouts)
    @Test
    void taskCancelTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("child");
                try {
                    Timeout.after(ms(1000)).call(() -> {
                        try {
                            Curio.sleep(5);
                        } catch (CancelledError e) {
                            trail.add("cancelled");
                            Curio.sleep(1); // past the timeout's deadline: it must not fire
                            trail.add("done cancel");
                            throw e;
                        }
                        return null;
                    });
                } catch (TaskTimeout e) {
                    trail.add("timeout");
                }
            });
            Curio.sleep(0.5);
            t.cancel();
        });
        assertThat(trail.events()).containsExactly("child", "cancelled", "done cancel");
    }

    // Curio: test_timeout_badness (the block overran its deadline without a blocking operation:
    // it completes, and no timeout is left over for the next operation)
    @Test
    void timeoutBadness() {
        Trail trail = new Trail();
        ManualClock clock = ManualClock.autojump();
        Curio.run(Kernel.builder().clock(clock), () -> {
            String r = Timeout.after(ms(100)).call(() -> {
                trail.add("blocking");
                clock.advance(ms(200)); // Curio: time.sleep(0.2), time passes with no trap
                return "completed";
            });
            trail.add("after block: " + r);
            Curio.sleep(0);
            trail.add("next op ok");
            return null;
        });
        assertThat(trail.events()).containsExactly("blocking", "after block: completed", "next op ok");
    }

    // Curio: test_kernel_multischedule (a sleep and its enclosing timeout both due at once)
    @Test
    void kernelMultischedule() {
        Trail trail = new Trail();
        ManualClock clock = ManualClock.autojump();
        Curio.run(Kernel.builder().clock(clock), () -> {
            Task<Boolean> t = Curio.spawn(() -> {
                try {
                    Timeout.after(ms(500)).call(() -> Curio.sleep(0.25));
                    trail.add("slept");
                } catch (TaskTimeout e) {
                    trail.add("not here");
                }
                Curio.sleep(0.1);
                trail.add("slept again");
                return true;
            });
            Curio.sleep(0.1);
            trail.add("block");
            clock.advance(Duration.ofSeconds(1)); // Curio: time.sleep(1), past both deadlines
            trail.add("joined " + t.join());
            return null;
        });
        assertThat(trail.events()).containsExactly("block", "slept", "slept again", "joined true");
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
