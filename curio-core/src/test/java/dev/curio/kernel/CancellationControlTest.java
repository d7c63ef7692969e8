package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Cancellation control (Curio's {@code disable_cancellation}, {@code check_cancellation},
 * {@code set_cancellation}) and the delivery of pending cancellations at blocking operations:
 * Curio 1.6's {@code test_task_cancel_poll} and {@code test_pending_cancellation}, and scenarios
 * of the manual's "Cancellation Control" section whose event lists were taken from Curio 1.6.
 */
class CancellationControlTest {

    private static String name(Throwable t) {
        return t == null ? "null" : t.getClass().getSimpleName() + "(" + t.getMessage() + ")";
    }

    // Curio: test_task_cancel_poll
    @Test
    void taskCancelPoll() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                Curio.disableCancellation(() -> {
                    Curio.sleep(0.1);
                    trail.add("success");
                    if (Curio.checkCancellation() != null) {
                        trail.add("cancelled");
                    } else {
                        trail.add("no cancellation pending");
                    }
                });
            });
            t.cancel();
            trail.add("done");
        });
        assertThat(trail.events()).containsExactly("success", "cancelled", "done");
    }

    // Curio: test_pending_cancellation (a pending cancellation is raised by every blocking trap
    // instead of blocking; a pending TaskTimeout is dropped when its timeout is unset)
    @Test
    void pendingCancellation() throws Exception {
        Trail trail = new Trail();
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            TestKernels.run(() -> {
                Curio.setCancellation(new CancelledError("read"));
                try {
                    Kernel.trap(new Trap.ReadWait(source));
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("read wait raised " + e.getMessage());
                }
                Curio.setCancellation(new CancelledError("future"));
                try {
                    Kernel.trap(new Trap.FutureWait(new CompletableFuture<>()));
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("future wait raised " + e.getMessage());
                }
                Curio.setCancellation(new CancelledError("sched"));
                try {
                    new WaitQueue().suspend("TEST_WAIT");
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("scheduler wait raised " + e.getMessage());
                }
                Curio.setCancellation(new CancelledError("sleep"));
                try {
                    Curio.sleep(1);
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("sleep raised " + e.getMessage());
                }
                Curio.setCancellation(new TaskTimeout(0));
                Kernel.trap(new Trap.UnsetTimeout(Kernel.NO_DEADLINE));
                trail.add("unset ok, pending " + name(Curio.checkCancellation()));
                Curio.sleep(0);
                trail.add("sleep ok");
            });
        }
        assertThat(trail.events()).containsExactly(
                "read wait raised read", "future wait raised future", "scheduler wait raised sched",
                "sleep raised sleep", "unset ok, pending null", "sleep ok");
    }

    // Manual, "disable_cancellation": blocking operations inside the block are not interrupted;
    // the cancellation is delivered at the first blocking operation after it.
    @Test
    void cancellationDeferredPastDisabledBlock() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                Curio.disableCancellation(() -> {
                    trail.add("child sleep");
                    Curio.sleep(1);
                    trail.add("child slept");
                    Curio.sleep(0);
                    trail.add("still running");
                });
                trail.add("block left");
                try {
                    Curio.sleep(0);
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("cancelled " + e.getClass().getSimpleName());
                    throw e;
                }
            });
            Curio.sleep(0);
            trail.add("cancel");
            t.cancel();
            trail.add("cancel done " + t.cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "child sleep", "cancel", "child slept", "still running", "block left", "cancelled TaskCancelled",
                "cancel done true");
    }

    // Manual: "It is not possible for cancellation to be reenabled inside code where it has been
    // disabled": leaving an inner disabled block keeps the cancellation pending.
    @Test
    void nestedDisabledBlocks() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                Curio.disableCancellation(() -> {
                    Curio.disableCancellation(() -> {
                        Curio.sleep(1);
                        trail.add("inner slept");
                    });
                    trail.add("inner left");
                    Curio.sleep(1);
                    trail.add("outer slept");
                    trail.add("pending " + Curio.checkCancellation().getClass().getSimpleName());
                });
                trail.add("outer left");
                try {
                    Curio.checkCancellation();
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("raised " + e.getClass().getSimpleName());
                    throw e;
                }
            });
            Curio.sleep(0);
            t.cancel();
            trail.add("done");
        });
        assertThat(trail.events()).containsExactly(
                "inner slept", "inner left", "outer slept", "pending TaskCancelled", "outer left",
                "raised TaskCancelled", "done");
    }

    // Manual: a timeout expiring while cancellation is disabled stays pending and is delivered,
    // to its own scope, at the first blocking operation after the disabled block.
    @Test
    void timeoutWhileDisabled() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(1, () -> {
                    Curio.disableCancellation(() -> {
                        Curio.sleep(2);
                        trail.add("slept through timeout");
                        trail.add("pending " + Curio.checkCancellation().getClass().getSimpleName());
                    });
                    trail.add("block left");
                    Curio.sleep(0);
                    trail.add("not here");
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("timeout");
            }
        });
        assertThat(trail.events()).containsExactly("slept through timeout", "pending TaskTimeout", "block left", "timeout");
    }

    // Manual: set_cancellation returns the previous pending cancellation; check_cancellation(exc)
    // returns and clears only a matching one; check_cancellation() raises when enabled.
    @Test
    void setAndCheckCancellation() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            trail.add("previous " + name(Curio.setCancellation(new TaskCancelled("a"))));
            trail.add("previous " + name(Curio.setCancellation(new TaskCancelled("b"))));
            trail.add("check TaskTimeout " + name(Curio.checkCancellation(TaskTimeout.class)));
            Curio.disableCancellation(() -> {
                trail.add("check " + name(Curio.checkCancellation()));
                trail.add("check TaskCancelled " + name(Curio.checkCancellation(TaskCancelled.class)));
                trail.add("check after " + name(Curio.checkCancellation()));
            });
            Curio.sleep(0);
            trail.add("nothing pending, sleep ok");
            Curio.setCancellation(new TaskCancelled("c"));
            try {
                Curio.sleep(0);
                trail.add("not here");
            } catch (TaskCancelled e) {
                trail.add("raised " + name(e));
            }
            trail.add("after " + name(Curio.checkCancellation()));
        });
        assertThat(trail.events()).containsExactly(
                "previous null", "previous TaskCancelled(a)", "check TaskTimeout null", "check TaskCancelled(b)",
                "check TaskCancelled TaskCancelled(b)", "check after null", "nothing pending, sleep ok",
                "raised TaskCancelled(c)", "after null");
    }

    // Manual: the function form of disable_cancellation returns the block's value.
    @Test
    void disableCancellationFunctionForm() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                int v = Curio.disableCancellation(() -> {
                    Curio.sleep(1);
                    trail.add("op done");
                    return 21 * 2;
                });
                trail.add("value " + v);
                Curio.sleep(0);
                trail.add("not here");
            });
            Curio.sleep(0);
            t.cancel();
            trail.add("cancelled " + t.cancelled());
        });
        assertThat(trail.events()).containsExactly("op done", "value 42", "cancelled true");
    }

    // Not in Curio (Python's `except Exception` does not catch CancelledError either): a
    // `catch (Exception e)` or `catch (RuntimeException e)` in task code never swallows a
    // cancellation or a timeout.
    @Test
    void catchExceptionDoesNotCatchCancellation() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                try {
                    trail.add("child sleeps");
                    Curio.sleep(10);
                    trail.add("not here");
                } catch (Exception e) {
                    trail.add("swallowed " + e);
                } finally {
                    trail.add("child finally");
                }
                trail.add("not here either");
            });
            Curio.sleep(1);
            t.cancel();
            trail.add("child cancelled " + t.cancelled() + ", failed with " + t.exception().getClass().getSimpleName());
            try {
                Curio.timeoutAfter(1, () -> {
                    try {
                        Curio.sleep(10);
                    } catch (RuntimeException e) {
                        trail.add("swallowed " + e);
                    }
                    trail.add("not here");
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("timeout reached its scope");
            }
        });
        assertThat(trail.events()).containsExactly(
                "child sleeps", "child finally", "child cancelled true, failed with TaskCancelled",
                "timeout reached its scope");
    }

    // Not in Curio's test_kernel.py (checked against Curio 1.6): a timeout scope entirely inside a
    // disabled block cannot interrupt it; its expiry stays pending and is dropped when the scope
    // ends, so the scope ends normally (Curio only logs the overrun).
    @Test
    void timeoutScopeInsideDisabledBlock() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            long t0 = Curio.clock();
            Curio.disableCancellation(() -> {
                try {
                    Curio.timeoutAfter(1, () -> {
                        Curio.sleep(2);
                        trail.add("slept through");
                        return null;
                    });
                    trail.add("scope left normally");
                } catch (TaskTimeout e) {
                    trail.add("timeout");
                }
            });
            trail.add("pending " + name(Curio.checkCancellation()));
            Curio.sleep(0);
            trail.add("at " + (Curio.clock() - t0) / 1_000_000 + "ms");
        });
        assertThat(trail.events()).containsExactly("slept through", "scope left normally", "pending null", "at 2000ms");
    }
}
