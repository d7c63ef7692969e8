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
}
