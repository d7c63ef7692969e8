package dev.curio.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskError;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Tasks and their cancellation, ported from Curio 1.6's {@code tests/test_task.py} (the scenarios
 * that are not about task groups; those are in {@link TaskGroupTest}). Each scenario records its
 * events in a {@link Trail} and asserts the whole ordered list Curio produces for it.
 *
 * <p>Translations: Python's {@code ValueError} becomes {@link IllegalArgumentException}, the
 * {@code RuntimeError} for a task not yet terminated becomes {@link IllegalStateException}, and a
 * custom cancellation exception is unchecked (a checked one would reach the task wrapped in a
 * {@link TaskError}).
 */
class TaskTest {

    /** The custom cancellation exception of test_cancel_custom_exception. */
    static final class MyException extends RuntimeException {
        MyException(String message) {
            super(message);
        }
    }

    // ---- cancellation ----

    // Ports test_cancel_noblock: a non-blocking cancel of a task that has not started yet takes
    // effect at its first blocking call; a second, blocking cancel just waits.
    @Test
    void cancelNonBlockingThenBlocking() {
        Trail trail = new Trail();
        boolean[] cancelled = {false};
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("child sleeps");
                try {
                    Curio.sleep(10);
                } catch (CancelledError e) {
                    trail.add("child got " + e.getClass().getSimpleName() + ", main cancelled=" + cancelled[0]);
                    throw e;
                }
            });
            trail.add("main cancels, non-blocking");
            t.cancel(false);
            cancelled[0] = true;
            trail.add("main cancels, blocking");
            t.cancel();
            trail.add("main done, child cancelled=" + t.cancelled() + " exception="
                    + t.exception().getClass().getSimpleName());
        });
        assertThat(trail.events()).containsExactly(
                "main cancels, non-blocking", "main cancels, blocking", "child sleeps",
                "child got TaskCancelled, main cancelled=true",
                "main done, child cancelled=true exception=TaskCancelled");
    }

    // Ports test_cancel_custom_exception: a task cancelled with an exception of the caller's
    // choosing may catch it and return normally.
    @Test
    void cancelWithACustomException() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<String> t = Curio.spawn(() -> {
                trail.add("child sleeps");
                try {
                    Curio.sleep(10);
                } catch (MyException e) {
                    trail.add("child caught MyException");
                    return "clean";
                }
                return "slept";
            });
            Curio.sleep(0);
            trail.add("main cancels with MyException");
            t.cancel(new MyException("stop"), true);
            trail.add("main done, cancelled=" + t.cancelled() + " result=" + t.result());
        });
        assertThat(trail.events()).containsExactly(
                "child sleeps", "main cancels with MyException", "child caught MyException",
                "main done, cancelled=true result=clean");
    }

    // Ports test_cancel_custom_exception_instance: the task receives the very instance given.
    @Test
    void cancelWithAnExceptionInstance() {
        Trail trail = new Trail();
        MyException exc = new MyException("Test");
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("child sleeps");
                try {
                    Curio.sleep(10);
                } catch (MyException e) {
                    trail.add("child caught the same instance=" + (e == exc));
                }
            });
            trail.add("main cancels with instance");
            t.cancel(exc, true);
            trail.add("main done");
        });
        assertThat(trail.events()).containsExactly(
                "main cancels with instance", "child sleeps", "child caught the same instance=true", "main done");
    }

    // Ports test_defer_cancellation: a cancellation requested inside disable_cancellation stays
    // pending and is raised by check_cancellation once delivery is enabled again.
    @Test
    void cancellationIsDeferredByDisable() {
        Trail trail = new Trail();
        Event e1 = new Event();
        Event e2 = new Event();
        TestKernels.run(() -> {
            Task<Void> task = Curio.spawn(() -> {
                try {
                    Curio.disableCancellation(() -> {
                        trail.add("child: cancellation disabled");
                        e1.set();
                        e2.await();
                        trail.add("child: e2 set, leaving disabled block");
                    });
                    trail.add("child: checking");
                    Curio.checkCancellation();
                    trail.add("child: not cancelled?!");
                } catch (CancelledError e) {
                    trail.add("child: check raised " + e.getClass().getSimpleName());
                }
            });
            e1.await();
            trail.add("main: cancel non-blocking");
            task.cancel(false);
            trail.add("main: set e2");
            e2.set();
            task.join();
            trail.add("main: joined");
        });
        assertThat(trail.events()).containsExactly(
                "child: cancellation disabled", "main: cancel non-blocking", "main: set e2",
                "child: e2 set, leaving disabled block", "child: checking",
                "child: check raised TaskCancelled", "main: joined");
    }

    // Ports test_explicit_raise_cancel_disable: a cancellation raised explicitly inside nested
    // disabled blocks does not escape the inner block; it becomes pending, the outer block sees
    // it with check_cancellation, and it is raised after the outer block.
    @Test
    void explicitCancellationInNestedDisabledBlocksIsDeferred() {
        Trail trail = new Trail();
        Event e1 = new Event();
        Event e2 = new Event();
        TestKernels.run(() -> {
            Task<Void> task = Curio.spawn(() -> {
                try {
                    Curio.disableCancellation(() -> {
                        Curio.disableCancellation(() -> {
                            e1.set();
                            e2.await();
                            trail.add("child: raise TaskCancelled in inner block");
                            throw new TaskCancelled();
                        });
                        Throwable p = Curio.checkCancellation();
                        trail.add("child: outer block sees pending " + p.getClass().getSimpleName());
                    });
                    trail.add("child: checking");
                    Curio.checkCancellation();
                } catch (CancelledError e) {
                    trail.add("child: check raised " + e.getClass().getSimpleName());
                }
            });
            e1.await();
            trail.add("main: cancel non-blocking");
            task.cancel(false);
            e2.set();
            task.join();
            trail.add("main: joined");
        });
        assertThat(trail.events()).containsExactly(
                "main: cancel non-blocking", "child: raise TaskCancelled in inner block",
                "child: outer block sees pending TaskCancelled", "child: checking",
                "child: check raised TaskCancelled", "main: joined");
    }

    // Ports test_disable_cancellation_function: the function form returns the block's value.
    @Test
    void disableCancellationFunctionForm() {
        Trail trail = new Trail();
        Event e1 = new Event();
        Event e2 = new Event();
        TestKernels.run(() -> {
            Task<Void> task = Curio.spawn(() -> {
                try {
                    String r = Curio.disableCancellation(() -> {
                        e1.set();
                        e2.await();
                        trail.add("child: e2 received");
                        return "it";
                    });
                    trail.add("child: disabled call returned " + r);
                    Curio.checkCancellation();
                } catch (CancelledError e) {
                    trail.add("child: check raised " + e.getClass().getSimpleName());
                }
            });
            e1.await();
            task.cancel(false);
            trail.add("main: cancelled non-blocking");
            e2.set();
            task.join();
            trail.add("main: joined");
        });
        assertThat(trail.events()).containsExactly(
                "main: cancelled non-blocking", "child: e2 received", "child: disabled call returned it",
                "child: check raised TaskCancelled", "main: joined");
    }

    // Ports test_self_cancellation: a task cancelling itself is cancelled at its next blocking call.
    @Test
    void selfCancellation() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<?> task = Curio.currentTask();
            task.cancel(false);
            trail.add("cancel requested, cancelled=" + task.cancelled());
            try {
                Curio.sleep(0);
                trail.add("sleep returned");
            } catch (CancelledError e) {
                trail.add("sleep raised " + e.getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly("cancel requested, cancelled=true", "sleep raised TaskCancelled");
    }

    // Ports test_disable_cancellation_explicit_raise: with delivery enabled outside, a cancellation
    // raised inside a disabled block propagates out of it.
    @Test
    void explicitCancellationEscapesAnOutermostDisabledBlock() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try {
                Curio.disableCancellation(() -> {
                    throw new CancelledError("explicit");
                });
                trail.add("block returned");
            } catch (CancelledError e) {
                trail.add("escaped " + e.getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly("escaped CancelledError");
    }

    // Ports test_set_cancellation: a pending cancellation set by hand is raised at the next
    // blocking call; check_cancellation(type) ignores other types, and inside a disabled block
    // returns and clears a match.
    @Test
    void setCancellationAndTypedCheck() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Curio.setCancellation(new CancelledError("by hand"));
            trail.add("check(TaskTimeout) -> " + Curio.checkCancellation(TaskTimeout.class));
            try {
                Curio.sleep(1);
                trail.add("sleep returned");
            } catch (CancelledError e) {
                trail.add("sleep raised " + e.getClass().getSimpleName());
            }
            Curio.setCancellation(new CancelledError("by hand"));
            Curio.disableCancellation(() -> {
                trail.add("check(CancelledError) -> "
                        + Curio.checkCancellation(CancelledError.class).getClass().getSimpleName());
                trail.add("check() -> " + Curio.checkCancellation());
            });
        });
        assertThat(trail.events()).containsExactly(
                "check(TaskTimeout) -> null", "sleep raised CancelledError",
                "check(CancelledError) -> CancelledError", "check() -> null");
    }

    // Ports test_late_join: cancelling a task that already terminated does nothing (it is not
    // marked cancelled). Curio also asserts t.joined, which our Task does not expose.
    @Test
    void cancelAfterTermination() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> trail.add("child runs"));
            Curio.sleep(0.1);
            t.cancel();
            trail.add("terminated=" + t.terminated() + " cancelled=" + t.cancelled() + " result=" + t.result());
        });
        assertThat(trail.events()).containsExactly("child runs", "terminated=true cancelled=false result=null");
    }

    // ---- identity, state, results ----

    // After test_task.py's use of task attributes (Task ids/parentid/state/cycles, result and
    // exception before termination); ordering checked against Curio 1.6.
    @Test
    void idsParentStateAndCycles() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<?> me = Curio.currentTask();
            Task<String> t = Curio.spawn(() -> {
                Task<?> self = Curio.currentTask();
                trail.add("child runs: state=" + self.state() + " cycles=" + self.cycles() + " parent state=" + me.state());
                Curio.sleep(1);
                trail.add("child woke: cycles=" + self.cycles());
                Curio.sleep(1);
                return "done";
            });
            trail.add("spawned: id>main " + (t.id() > me.id()) + " parent " + (t.parentId().getAsLong() == me.id())
                    + " state=" + t.state() + " cycles=" + t.cycles());
            try {
                t.result();
            } catch (IllegalStateException e) {
                trail.add("result: IllegalStateException " + e.getMessage().startsWith("Task not terminated"));
            }
            try {
                t.exception();
            } catch (IllegalStateException e) {
                trail.add("exception: IllegalStateException " + e.getMessage().startsWith("Task not terminated"));
            }
            Curio.sleep(0);
            trail.add("after yield: state=" + t.state() + " cycles=" + t.cycles() + " main cycles=" + me.cycles());
            String r = t.join();
            trail.add("joined " + r + ": state=" + t.state() + " cycles=" + t.cycles() + " terminated="
                    + t.terminated() + " main cycles=" + me.cycles() + " main state=" + me.state());
        });
        assertThat(trail.events()).containsExactly(
                "spawned: id>main true parent true state=READY cycles=0",
                "result: IllegalStateException true",
                "exception: IllegalStateException true",
                "child runs: state=RUNNING cycles=1 parent state=READY",
                "after yield: state=TIME_SLEEP cycles=1 main cycles=2",
                "child woke: cycles=2",
                "joined done: state=TERMINATED cycles=3 terminated=true main cycles=3 main state=RUNNING");
    }

    // Java-only naming: the name given at spawn, else "task-<id>"; the main task has no parent;
    // the daemon flag is kept.
    @Test
    void namesParentsAndDaemonFlag() {
        TestKernels.run(() -> {
            Task<?> me = Curio.currentTask();
            Task<Void> named = Curio.spawn("worker", () -> {});
            Task<Void> anonymous = Curio.spawn(() -> {});
            Task<Void> daemon = Curio.spawnDaemon("background", () -> {});
            assertThat(me.parentId()).isEmpty();
            assertThat(named.name()).isEqualTo("worker");
            assertThat(anonymous.name()).isEqualTo("task-" + anonymous.id());
            assertThat(List.of(named.daemon(), anonymous.daemon(), daemon.daemon())).containsExactly(false, false, true);
            assertThat(anonymous.id()).isGreaterThan(named.id());
            named.join();
            anonymous.join();
            daemon.await();
        });
    }

    // After test_task.py's TaskError checks (test_task_group_join), for a plain task: join wraps
    // the failure in TaskError, result rethrows it as is, exception returns it.
    @Test
    void failedTaskJoinResultAndException() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                trail.add("child fails");
                throw new IllegalArgumentException("boom");
            });
            try {
                t.join();
            } catch (TaskError e) {
                trail.add("join raised TaskError caused by " + e.getCause().getClass().getSimpleName()
                        + ": " + e.getCause().getMessage());
            }
            trail.add("exception " + t.exception().getClass().getSimpleName());
            try {
                t.result();
            } catch (IllegalArgumentException e) {
                trail.add("result raised " + e.getClass().getSimpleName());
            }
        });
        assertThat(trail.events()).containsExactly(
                "child fails", "join raised TaskError caused by IllegalArgumentException: boom",
                "exception IllegalArgumentException", "result raised IllegalArgumentException");
    }

    // Ports test_task_diag (a smoke test in Curio): where/traceback/toString of a suspended task,
    // and of a terminated one.
    @Test
    void diagnostics() {
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn("child", () -> {
                Curio.sleep(0.25);
            });
            Curio.sleep(0);
            assertThat(t.toString()).isEqualTo("Task(id=" + t.id() + ", name='child', state='TIME_SLEEP')");
            assertThat(t.where()).isNotNull();
            assertThat(t.where().getClassName()).isEqualTo(TaskTest.class.getName());
            assertThat(t.traceback()).startsWith("Stack for " + t + " (most recent call first):\n");
            assertThat(t.traceback()).contains(TaskTest.class.getName());
            t.join();
            assertThat(t.where()).isNull();
            assertThat(t.traceback()).isEqualTo("No stack for " + t);
        });
    }

    // Java-only: bad arguments are named in the error.
    @Test
    void badArgumentsAreNamed() {
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {});
            assertThatThrownBy(() -> t.cancel((Throwable) null, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exc");
            assertThatThrownBy(() -> Curio.spawn((Callable<Object>) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body");
            t.join();
        });
    }
}
