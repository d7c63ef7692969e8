package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskError;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.sync.Event;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Ports of the cancellation scenarios of Curio 1.6's {@code tests/test_kernel.py}: cancelling
 * sleeping, waiting, ready and already-cancelled tasks, blocking and not, with Curio's or a custom
 * cancellation. Every list of events is the one Curio 1.6 produces, on a manual clock.
 */
class CancelTest {

    /** A user-defined cancellation (Curio: {@code class CustomCancelled(CancelledError)}). */
    static final class CustomCancelled extends CancelledError {
        CustomCancelled() {
            super("custom");
        }
    }

    // Curio: test_sleep_cancel
    @Test
    void sleepCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("sleeper start");
                try {
                    Curio.sleep(1.0);
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("sleeper cancelled " + e.getClass().getSimpleName());
                }
            });
            Curio.sleep(0.1);
            trail.add("cancelling");
            t.cancel();
            trail.add("cancelled " + t.cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "sleeper start", "cancelling", "sleeper cancelled TaskCancelled", "cancelled true");
    }

    // Curio: test_task_cancel
    @Test
    void taskCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("child start");
                try {
                    Curio.sleep(0.5);
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("child cancelled");
                }
            });
            trail.add("cancelling");
            t.cancel();
            trail.add("cancel returned");
        });
        assertThat(trail.events()).containsExactly("cancelling", "child start", "child cancelled", "cancel returned");
    }

    // Curio: test_task_cancel_not_blocking
    @Test
    void taskCancelNotBlocking() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Event e1 = new Event();
            Event e2 = new Event();
            Task<Void> t = Curio.spawn(() -> {
                e1.set();
                trail.add("child sleeps");
                try {
                    Curio.sleep(1000);
                } catch (CancelledError e) {
                    trail.add("child cancelled, waits e2");
                    e2.await();
                    trail.add("child rethrows");
                    throw e;
                }
            });
            e1.await();
            trail.add("main cancels");
            t.cancel(false);
            trail.add("cancel returned");
            e2.set();
            trail.add("e2 set");
            try {
                t.join();
            } catch (TaskError e) {
                trail.add("TaskError " + e.getCause().getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly(
                "child sleeps", "main cancels", "cancel returned", "e2 set",
                "child cancelled, waits e2", "child rethrows", "TaskError TaskCancelled");
    }

    // Curio: test_task_cancel_join
    @Test
    void taskCancelJoin() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Event evt = new Event();
            Task<Void> t = Curio.spawn(() -> {
                trail.add("child waits");
                evt.await();
                trail.add("not here");
            });
            Curio.sleep(0);
            t.cancel();
            trail.add("cancelled");
            try {
                t.join();
                trail.add("not here");
            } catch (TaskError e) {
                trail.add("TaskError " + e.getCause().getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly("child waits", "cancelled", "TaskError TaskCancelled");
    }

    // Curio: test_task_cancel_join_wait
    @Test
    void taskCancelJoinWait() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Event evt = new Event();
            Task<Void> t1 = Curio.spawn(() -> {
                trail.add("child waits");
                evt.await();
            });
            Task<Void> t2 = Curio.spawn(() -> {
                trail.add("canceller");
                t1.cancel();
                trail.add("canceller done");
            });
            t2.join();
            trail.add("evt set " + evt.isSet());
            try {
                t1.join();
                trail.add("not here");
            } catch (TaskError e) {
                trail.add("TaskError " + e.getCause().getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly(
                "child waits", "canceller", "canceller done", "evt set false", "TaskError TaskCancelled");
    }

    // Curio: test_task_child_cancel
    @Test
    void taskChildCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Callable<Void> child = () -> {
                trail.add("start");
                try {
                    Curio.sleep(0.5);
                    trail.add("end");
                } catch (CancelledError e) {
                    trail.add("child cancelled");
                }
                return null;
            };
            Callable<Void> parent = () -> {
                Task<Void> childTask = null;
                try {
                    childTask = Curio.spawn(child);
                    Curio.sleep(0.5);
                    trail.add("end parent");
                } catch (CancelledError e) {
                    childTask.cancel();
                    trail.add("parent cancelled");
                }
                return null;
            };
            Callable<Void> grandparent = () -> {
                Task<Void> parentTask = null;
                try {
                    parentTask = Curio.spawn(parent);
                    Curio.sleep(0.5);
                    trail.add("end grandparent");
                } catch (CancelledError e) {
                    parentTask.cancel();
                    trail.add("grandparent cancelled");
                }
                return null;
            };
            Task<Void> t = Curio.spawn(grandparent);
            Curio.sleep(0.1);
            trail.add("cancel start");
            Curio.sleep(0.1);
            trail.add("cancelling");
            t.cancel();
            trail.add("done");
        });
        assertThat(trail.events()).containsExactly(
                "start", "cancel start", "cancelling", "child cancelled", "parent cancelled",
                "grandparent cancelled", "done");
    }

    // Curio: test_task_ready_cancel (a task cancels another that is on the ready queue)
    @Test
    void taskReadyCancel() {
        Trail trail = new Trail();
        ManualClock clock = ManualClock.autojump();
        Curio.run(Kernel.builder().clock(clock), () -> {
            Task<Void> parent = Curio.spawn(() -> {
                Task<Void> child = Curio.spawn(() -> {
                    try {
                        trail.add("child sleep");
                        Curio.sleep(1.0);
                        trail.add("child slept");
                        Curio.sleep(1.0);
                        trail.add("should not see this");
                    } catch (CancelledError e) {
                        trail.add("child cancelled");
                    }
                });
                trail.add("parent sleep");
                Curio.sleep(0.5);
                trail.add("cancel start");
                child.cancel();
                trail.add("cancel done");
            });
            Curio.sleep(0.1);
            // Curio blocks the loop with time.sleep(1): time passes while no trap runs, so both
            // sleepers are due at the next trap.
            clock.advance(Duration.ofSeconds(1));
            Curio.sleep(0.1);
            return parent;
        });
        assertThat(trail.events()).containsExactly(
                "parent sleep", "child sleep", "cancel start", "child slept", "child cancelled", "cancel done");
    }

    // Curio: test_double_cancel
    @Test
    void doubleCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("start");
                try {
                    Curio.sleep(1);
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("cancel request");
                    Curio.sleep(1);
                    trail.add("cancelled");
                }
            });
            Curio.sleep(0.5);
            try {
                Curio.timeoutAfter(1, () -> {
                    t.cancel();
                    return null;
                });
            } catch (TaskTimeout e) {
                trail.add("retry");
                t.cancel(); // must not abort the sleep of the task handling its first cancellation
                trail.add("done cancel");
            }
        });
        assertThat(trail.events()).containsExactly("start", "cancel request", "retry", "cancelled", "done cancel");
    }

    // Curio: test_custom_cancel
    @Test
    void customCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Event evt = new Event();
            Task<Void> t = Curio.spawn(() -> {
                try {
                    evt.await();
                    trail.add("not here");
                } catch (CustomCancelled e) {
                    trail.add("custom cancelled");
                } catch (Throwable e) {
                    trail.add("wrong exception " + e);
                }
            });
            t.cancel(new CustomCancelled(), true);
            trail.add("done " + t.cancelled());
        });
        assertThat(trail.events()).containsExactly("custom cancelled", "done true");
    }

    // Not in Curio 1.6's test_kernel.py: a cancelled task's state before and after, as the monitor shows it.
    @Test
    void cancelledTaskState() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn("sleeper", () -> {
                Curio.sleep(10);
            });
            Curio.sleep(1);
            trail.add(t.state());
            t.cancel();
            trail.add(t.state() + " cancelled=" + t.cancelled() + " terminated=" + t.terminated()
                    + " " + t.exception().getClass().getSimpleName());
            assertThatThrownBy(t::result).isInstanceOf(TaskCancelled.class);
        });
        assertThat(trail.events()).containsExactly(
                "TIME_SLEEP", "TERMINATED cancelled=true terminated=true TaskCancelled");
    }
}
