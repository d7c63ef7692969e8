package dev.curio.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.CheckedRunnable;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskError;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import dev.curio.task.TaskGroup.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Task groups, ported from Curio 1.6's {@code tests/test_task.py} (the {@code TaskGroup} scenarios).
 * Each scenario records its events in a {@link Trail} and asserts the whole ordered list that
 * Curio produces for the same scenario.
 *
 * <p>Translations: Curio's {@code async with TaskGroup(...) as g:} is {@link TaskGroup#run} (which
 * joins on normal exit and cancels the rest if the body throws), or the try-with-resources form
 * with an explicit {@link TaskGroup#join()}. Python's {@code TypeError}/{@code ValueError} from a
 * child become {@link IllegalArgumentException}; the {@code RuntimeError} raised for a misuse
 * becomes {@link IllegalStateException}.
 *
 * <p>Where Curio pops tasks from a {@code set} (the members cancelled by {@code join()} or
 * {@code cancel_remaining()}, the waiters woken by an {@code Event}), its order is unspecified and
 * changes from run to run; our groups and wait barriers keep insertion order, so those scenarios
 * assert spawn order, which is one of the orders Curio produces.
 */
class TaskGroupTest {

    // ---- children used by the scenarios (after test_task.py's child/child2) ----

    /** Curio's {@code child(x, y)}: returns {@code x + y} at once. */
    private static Callable<Integer> add(Trail trail, int x, int y) {
        return () -> {
            trail.add("child " + x + "+" + y);
            return x + y;
        };
    }

    /** Curio's {@code child(x, 'bad')}: the addition fails (a TypeError there). */
    private static Callable<Integer> addBad(Trail trail, int x, String y) {
        return () -> {
            trail.add("child " + x + "+" + y);
            throw new IllegalArgumentException("unsupported operand: " + x + " + '" + y + "'");
        };
    }

    /** Curio's {@code child2(x, y)}: waits for {@code evt}, then returns {@code x + y}. */
    private static Callable<Integer> waiter(Trail trail, Event evt, int x, int y) {
        return () -> {
            trail.add("child2 " + x + "+" + y + " waits");
            try {
                evt.await();
            } catch (CancelledError e) {
                trail.add("child2 " + x + "+" + y + " " + e.getClass().getSimpleName());
                throw e;
            }
            trail.add("child2 " + x + "+" + y + " done");
            return x + y;
        };
    }

    /** Curio's {@code spawn(sleep, seconds)}, reporting its cancellation. */
    private static Callable<Void> sleeper(Trail trail, String name, double seconds) {
        return () -> {
            trail.add(name + " sleeps");
            try {
                Curio.sleep(seconds);
            } catch (CancelledError e) {
                trail.add(name + " " + e.getClass().getSimpleName());
                throw e;
            }
            return null;
        };
    }

    private static List<String> exceptionNames(TaskGroup g) {
        List<String> names = new ArrayList<>();
        for (Throwable t : g.exceptions()) {
            names.add(t == null ? "null" : t.getClass().getSimpleName());
        }
        return names;
    }

    // ---- wait=all ----

    // Ports test_task_group.
    @Test
    void groupJoinsAllAndCollectsResults() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                ts.add(grp.spawn(add(trail, 1, 1)));
                ts.add(grp.spawn(add(trail, 2, 2)));
                ts.add(grp.spawn(add(trail, 3, 3)));
                trail.add("spawned");
            });
            trail.add("joined: " + ts.get(0).result() + " " + ts.get(1).result() + " " + ts.get(2).result()
                    + " results " + g.results());
        });
        assertThat(trail.events()).containsExactly(
                "spawned", "child 1+1", "child 2+2", "child 3+3", "joined: 2 4 6 results [2, 4, 6]");
    }

    // Ports test_task_group_daemon. Curio cancels the daemons t0 and t4 in set order (t4 first in
    // most runs); we cancel them in the order they joined the group, Curio's other order.
    @Test
    void daemonMembersAreIgnoredByTheWaitAndCancelledByJoin() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t0 = Curio.spawnDaemon("t0", sleeper(trail, "t0", 5));
            Task<Integer> t1;
            Task<Void> t4;
            try (TaskGroup g = TaskGroup.of(Wait.ALL, t0)) {
                t1 = g.spawn(add(trail, 1, 1));
                g.spawnDaemon("t2", add(trail, 2, 2));
                g.spawnDaemon("t3", addBad(trail, 3, "3"));
                t4 = g.spawnDaemon("t4", sleeper(trail, "t4", 5));
                g.join();
                trail.add("joined: t1 " + t1.result() + " results " + g.results() + " t0 cancelled="
                        + t0.cancelled() + " t4 cancelled=" + t4.cancelled() + " tasks=" + g.tasks().size());
            }
        });
        assertThat(trail.events()).containsExactly(
                "t0 sleeps", "child 1+1", "child 2+2", "child 3+3", "t4 sleeps",
                "t0 TaskCancelled", "t4 TaskCancelled",
                "joined: t1 2 results [2] t0 cancelled=true t4 cancelled=true tasks=1");
    }

    // Ports test_task_group_daemon_error, with the try-with-resources form: close() cancels the
    // daemon member the body left behind.
    @Test
    void bodyErrorCancelsDaemonMembers() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> t = null;
            try (TaskGroup g = new TaskGroup(Wait.ALL)) {
                t = g.spawnDaemon("daemon", sleeper(trail, "daemon", 5));
                trail.add("body raises");
                throw new IllegalArgumentException("body failed");
            } catch (IllegalArgumentException e) {
                trail.add("caught " + e.getMessage());
            }
            trail.add("daemon cancelled=" + t.cancelled() + " terminated=" + t.terminated());
        });
        assertThat(trail.events()).containsExactly(
                "body raises", "daemon sleeps", "daemon TaskCancelled", "caught body failed",
                "daemon cancelled=true terminated=true");
    }

    // Ports test_task_group_existing: a group made of existing tasks (one already joined), plus
    // add_task of a terminated task.
    @Test
    void groupOfExistingTasks() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            Task<Integer> t1 = Curio.spawn(add(trail, 1, 1));
            Task<Integer> t2 = Curio.spawn(waiter(trail, evt, 2, 2));
            Task<Integer> t3 = Curio.spawn(waiter(trail, evt, 3, 3));
            Task<Integer> t4 = Curio.spawn(add(trail, 4, 4));
            t1.join();
            trail.add("joined t1");
            t4.join();
            trail.add("joined t4");
            try (TaskGroup g = TaskGroup.of(Wait.ALL, t1, t2, t3)) {
                evt.set();
                g.addTask(t4);
                trail.add("added t4");
                g.join();
                trail.add("results " + g.results());
            }
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "child2 2+2 waits", "child2 3+3 waits", "child 4+4", "joined t1", "joined t4",
                "added t4", "child2 2+2 done", "child2 3+3 done", "results [2, 4, 6, 8]");
    }

    // Ports test_task_group_iter: iterating takes members out as they finish, so results() is empty.
    @Test
    void iterationYieldsMembersAsTheyFinish() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                grp.spawn(add(trail, 1, 1));
                grp.spawn(add(trail, 2, 2));
                grp.spawn(add(trail, 3, 3));
                for (Task<?> t : grp) {
                    trail.add("next " + t.result());
                }
            });
            trail.add("results " + g.results());
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "child 2+2", "child 3+3", "next 2", "next 4", "next 6", "results []");
    }

    // Ports test_task_join_daemon: joining a daemon member directly; the group's results ignore it.
    @Test
    void joiningADaemonMember() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Callable<Integer> child2 = sleepyAdd(trail, 2, 2);
            Callable<Integer> child3 = sleepyAdd(trail, 3, 3);
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                Task<Integer> t2 = grp.spawnDaemon("t2", child2);
                grp.spawn(child3);
                trail.add("joined daemon " + t2.join());
            });
            trail.add("results " + g.results());
        });
        assertThat(trail.events()).containsExactly(
                "child 2+2 sleeps", "child 3+3 sleeps", "child 2+2 returns", "child 3+3 returns",
                "joined daemon 4", "results [6]");
    }

    private static Callable<Integer> sleepyAdd(Trail trail, int x, int y) {
        return () -> {
            trail.add("child " + x + "+" + y + " sleeps");
            Curio.sleep(0.1);
            trail.add("child " + x + "+" + y + " returns");
            return x + y;
        };
    }

    // Ports test_task_group_error: a failing member ends the wait and cancels the others.
    @Test
    void memberErrorCancelsTheOthers() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                ts.add(grp.spawn(waiter(trail, evt, 1, 1)));
                ts.add(grp.spawn(waiter(trail, evt, 2, 2)));
                ts.add(grp.spawn(addBad(trail, 3, "bad")));
            });
            trail.add("joined: t3 exc " + ts.get(2).exception().getClass().getSimpleName()
                    + " completed is t3 " + (g.completed() == ts.get(2))
                    + " t1 " + ts.get(0).cancelled() + " t2 " + ts.get(1).cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "child2 1+1 waits", "child2 2+2 waits", "child 3+bad",
                "child2 1+1 TaskCancelled", "child2 2+2 TaskCancelled",
                "joined: t3 exc IllegalArgumentException completed is t3 true t1 true t2 true");
    }

    // Not in test_task.py: under wait=all the first finished member is completed() even when a
    // later one fails, and the failure still cancels the rest.
    @Test
    void waitAllCompletedIsTheFirstFinishedEvenIfALaterOneFails() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<?>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                ts.add(grp.spawn(add(trail, 1, 1)));
                ts.add(grp.spawn(() -> {
                    trail.add("bad fails");
                    throw new IllegalArgumentException("bad");
                }));
                ts.add(grp.spawn(waiter(trail, evt, 2, 2)));
            });
            trail.add("completed is t0 " + (g.completed() == ts.get(0)) + " exceptions " + exceptionNames(g));
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "bad fails", "child2 2+2 waits", "child2 2+2 TaskCancelled",
                "completed is t0 true exceptions [null, IllegalArgumentException, TaskCancelled]");
    }

    // Ports test_task_group_error_block, with the try-with-resources form: an exception in the body
    // cancels every member before it propagates (members never started die at their first trap).
    @Test
    void bodyErrorCancelsEveryMember() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            try (TaskGroup g = new TaskGroup()) {
                ts.add(g.spawn(waiter(trail, evt, 1, 1)));
                ts.add(g.spawn(waiter(trail, evt, 2, 2)));
                ts.add(g.spawn(waiter(trail, evt, 3, 3)));
                trail.add("body raises");
                throw new IllegalStateException("body failed");
            } catch (IllegalStateException e) {
                trail.add("caught " + e.getMessage());
            }
            trail.add("cancelled " + ts.get(0).cancelled() + " " + ts.get(1).cancelled() + " " + ts.get(2).cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "body raises",
                "child2 1+1 waits", "child2 1+1 TaskCancelled",
                "child2 2+2 waits", "child2 2+2 TaskCancelled",
                "child2 3+3 waits", "child2 3+3 TaskCancelled",
                "caught body failed", "cancelled true true true");
    }

    // Ports test_task_group_error_block with TaskGroup.run: the same, through the lambda form.
    @Test
    void bodyErrorInRunCancelsEveryMember() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            try {
                TaskGroup.run(Wait.ALL, g -> {
                    ts.add(g.spawn(waiter(trail, evt, 1, 1)));
                    ts.add(g.spawn(waiter(trail, evt, 2, 2)));
                    trail.add("body raises");
                    throw new java.io.IOException("body failed");
                });
            } catch (java.io.IOException e) {
                trail.add("caught " + e.getMessage());
            }
            trail.add("cancelled " + ts.get(0).cancelled() + " " + ts.get(1).cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "body raises",
                "child2 1+1 waits", "child2 1+1 TaskCancelled",
                "child2 2+2 waits", "child2 2+2 TaskCancelled",
                "caught body failed", "cancelled true true");
    }

    // Ports test_task_group_join: joining a failed member directly takes it out of the group, so
    // its error does not cancel the others; result/exception of a running task raise.
    @Test
    void joiningAFailedMemberDoesNotCancelTheOthers() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                Task<Integer> t1 = grp.spawn(waitThenAdd(trail, evt, 1, null));
                Task<Integer> t2 = grp.spawn(waitThenAdd(trail, evt, 2, 2));
                ts.add(t2);
                ts.add(grp.spawn(waitThenAdd(trail, evt, 3, 3)));
                try {
                    t1.join();
                } catch (TaskError e) {
                    trail.add("join t1: TaskError from " + e.getCause().getClass().getSimpleName());
                }
                try {
                    t1.result();
                } catch (IllegalArgumentException e) {
                    trail.add("t1.result raised IllegalArgumentException");
                }
                try {
                    t2.result();
                } catch (IllegalStateException e) {
                    trail.add("t2.result raised IllegalStateException");
                }
                try {
                    t2.exception();
                } catch (IllegalStateException e) {
                    trail.add("t2.exception raised IllegalStateException");
                }
                evt.set();
                trail.add("evt set");
            });
            trail.add("joined: t2 cancelled=" + ts.get(0).cancelled() + " t3 cancelled=" + ts.get(1).cancelled()
                    + " results " + g.results());
        });
        // Curio wakes the two event waiters in set order (t2 first in most runs); ours wake in
        // arrival order.
        assertThat(trail.events()).containsExactly(
                "child 1", "child 2", "child 3",
                "join t1: TaskError from IllegalArgumentException",
                "t1.result raised IllegalArgumentException",
                "t2.result raised IllegalStateException",
                "t2.exception raised IllegalStateException",
                "evt set", "child 2 returns", "child 3 returns",
                "joined: t2 cancelled=false t3 cancelled=false results [4, 6]");
    }

    /** test_task_group_join's child: adds (failing at once when {@code y} is null), then waits. */
    private static Callable<Integer> waitThenAdd(Trail trail, Event evt, int x, Integer y) {
        return () -> {
            trail.add("child " + x);
            if (y == null) {
                throw new IllegalArgumentException("unsupported operand: " + x + " + 'foo'");
            }
            int result = x + y;
            evt.await();
            trail.add("child " + x + " returns");
            return result;
        };
    }

    // Ports test_task_group_join_done: a member joined in the body leaves the group's results.
    @Test
    void joiningAMemberInTheBodyRemovesItFromResults() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskGroup w = TaskGroup.run(Wait.ALL, grp -> {
                grp.spawn(add(trail, 1, 1));
                grp.spawn(add(trail, 2, 2));
                Task<Integer> t3 = grp.spawn(add(trail, 3, 3));
                trail.add("joined t3 " + t3.join());
            });
            trail.add("results " + w.results());
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "child 2+2", "child 3+3", "joined t3 6", "results [2, 4]");
    }

    // ---- wait=any, wait=object, wait=None ----

    // Ports test_task_any_cancel. Curio cancels t2 and t3 in set order; ours is spawn order.
    @Test
    void waitAnyTakesTheFirstAndCancelsTheRest() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.ANY, grp -> {
                ts.add(grp.spawn(add(trail, 1, 1)));
                ts.add(grp.spawn(waiter(trail, evt, 2, 2)));
                ts.add(grp.spawn(waiter(trail, evt, 3, 3)));
            });
            trail.add("joined: completed is t1 " + (g.completed() == ts.get(0)) + " result " + g.result()
                    + " t2 cancelled=" + ts.get(1).cancelled() + " t3 cancelled=" + ts.get(2).cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "child2 2+2 waits", "child2 3+3 waits",
                "child2 2+2 TaskCancelled", "child2 3+3 TaskCancelled",
                "joined: completed is t1 true result 2 t2 cancelled=true t3 cancelled=true");
    }

    // Ports test_task_any_error: under wait=any a failure is the completed task; result raises it.
    @Test
    void waitAnyWithAFailure() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            TaskGroup g = TaskGroup.run(Wait.ANY, grp -> {
                grp.spawn(addBad(trail, 1, "1"));
                grp.spawn(waiter(trail, evt, 2, 2));
                grp.spawn(waiter(trail, evt, 3, 3));
            });
            try {
                g.result();
                trail.add("result returned");
            } catch (IllegalArgumentException e) {
                trail.add("result raised IllegalArgumentException");
            }
            trail.add("exception " + g.exception().getClass().getSimpleName() + " exceptions " + exceptionNames(g));
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "child2 2+2 waits", "child2 3+3 waits",
                "child2 2+2 TaskCancelled", "child2 3+3 TaskCancelled",
                "result raised IllegalArgumentException",
                "exception IllegalArgumentException exceptions "
                        + "[IllegalArgumentException, TaskCancelled, TaskCancelled]");
    }

    // Ports test_task_group_result: result is the first finished member's.
    @Test
    void waitAnyResult() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskGroup g = TaskGroup.run(Wait.ANY, grp -> {
                grp.spawn(add(trail, 1, 1));
                grp.spawn(add(trail, 2, 2));
                grp.spawn(add(trail, 3, 3));
            });
            trail.add("result " + g.result() + " results " + g.results());
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "child 2+2", "child 3+3", "result 2 results [2, 4, 6]");
    }

    // Not in test_task.py (wait=object has no test there); ordering checked against Curio 1.6:
    // null results are passed over, the first non-null result completes the group, a member that
    // already finished is left as it is and the waiting one is cancelled.
    @Test
    void waitObjectTakesTheFirstNonNullResult() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<?>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.OBJECT, grp -> {
                ts.add(grp.spawn(nothing(trail, 0)));
                ts.add(grp.spawn(value(trail, 1)));
                ts.add(grp.spawn(waiter(trail, evt, 2, 2)));
                ts.add(grp.spawn(value(trail, 3)));
            });
            trail.add("completed is t1 " + (g.completed() == ts.get(1)) + " result " + g.result()
                    + " t2 cancelled=" + ts.get(2).cancelled() + " t3 cancelled=" + ts.get(3).cancelled());
            try {
                trail.add("results " + g.results());
            } catch (TaskCancelled e) {
                trail.add("results raised TaskCancelled");
            }
        });
        assertThat(trail.events()).containsExactly(
                "none 0", "value 1", "child2 2+2 waits", "value 3", "value 1 returns", "value 3 returns",
                "child2 2+2 TaskCancelled",
                "completed is t1 true result 1 t2 cancelled=true t3 cancelled=false",
                "results raised TaskCancelled");
    }

    // Not in test_task.py; checked against Curio 1.6: when every member returns null, nothing
    // completed the group and result raises.
    @Test
    void waitObjectWithOnlyNullResults() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskGroup g = TaskGroup.run(Wait.OBJECT, grp -> {
                grp.spawn(nothing(trail, 0));
                grp.spawn(nothing(trail, 1));
            });
            trail.add("completed " + g.completed() + " exception " + g.exception() + " results " + g.results());
            assertThatThrownBy(g::result)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("No task successfully completed");
        });
        assertThat(trail.events()).containsExactly(
                "none 0", "none 1", "completed null exception null results [null, null]");
    }

    // Not in test_task.py; checked against Curio 1.6: under wait=object a failure completes the group.
    @Test
    void waitObjectWithAFailure() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<?>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.OBJECT, grp -> {
                grp.spawn(nothing(trail, 0));
                ts.add(grp.spawn(() -> {
                    trail.add("bad fails");
                    throw new IllegalArgumentException("bad");
                }));
                grp.spawn(waiter(trail, evt, 2, 2));
            });
            trail.add("completed is bad " + (g.completed() == ts.get(0))
                    + " exception " + g.exception().getClass().getSimpleName());
        });
        assertThat(trail.events()).containsExactly(
                "none 0", "bad fails", "child2 2+2 waits", "child2 2+2 TaskCancelled",
                "completed is bad true exception IllegalArgumentException");
    }

    private static Callable<Object> nothing(Trail trail, int n) {
        return () -> {
            trail.add("none " + n);
            return null;
        };
    }

    private static Callable<Integer> value(Trail trail, int n) {
        return () -> {
            trail.add("value " + n);
            Curio.sleep(0);
            trail.add("value " + n + " returns");
            return n;
        };
    }

    // Ports test_task_wait_none: wait=None cancels at once; each member dies at its first trap.
    // Curio cancels in set order (this order in most runs).
    @Test
    void waitNoneCancelsEveryMemberAtOnce() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup.run(Wait.NONE, grp -> {
                ts.add(grp.spawn(waiter(trail, evt, 2, 2)));
                ts.add(grp.spawn(waiter(trail, evt, 3, 3)));
            });
            trail.add("joined: t2 cancelled=" + ts.get(0).cancelled() + " t3 cancelled=" + ts.get(1).cancelled());
        });
        assertThat(trail.events()).containsExactly(
                "child2 2+2 waits", "child2 2+2 TaskCancelled",
                "child2 3+3 waits", "child2 3+3 TaskCancelled",
                "joined: t2 cancelled=true t3 cancelled=true");
    }

    // ---- cancellation of the group ----

    // Ports test_task_group_cancel: cancelling the task blocked in join() cancels every member.
    // Curio cancels the members in set order; ours is spawn order.
    @Test
    void cancelledJoinCancelsEveryMember() {
        Trail trail = new Trail();
        Event evt = new Event();
        Event evt2 = new Event();
        TestKernels.run(() -> {
            Task<Void> t = Curio.spawn(() -> {
                List<Task<Void>> ts = new ArrayList<>();
                try {
                    TaskGroup.run(Wait.ALL, g -> {
                        for (int i = 1; i <= 3; i++) {
                            ts.add(g.spawn(eventChild(trail, evt, i)));
                        }
                        evt2.set();
                        trail.add("coro joins");
                    });
                } catch (CancelledError e) {
                    trail.add("coro " + e.getClass().getSimpleName() + ": " + ts.get(0).cancelled() + " "
                            + ts.get(1).cancelled() + " " + ts.get(2).cancelled());
                    throw e;
                }
                trail.add("coro: join returned");
            });
            evt2.await();
            trail.add("main cancels coro");
            t.cancel();
            trail.add("main done, coro exception " + t.exception().getClass().getSimpleName());
        });
        assertThat(trail.events()).containsExactly(
                "coro joins", "child 1 waits", "child 2 waits", "child 3 waits", "main cancels coro",
                "child 1 TaskCancelled", "child 2 TaskCancelled", "child 3 TaskCancelled",
                "coro TaskCancelled: true true true", "main done, coro exception TaskCancelled");
    }

    // Ports test_task_group_timeout: a timeout expiring in join() cancels every member; the join
    // sees the TaskTimeout, the members TaskCancelled. Curio cancels in set order; ours is spawn order.
    @Test
    void timeoutInJoinCancelsEveryMember() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            try {
                Curio.timeoutAfter(Duration.ofMillis(250), () -> {
                    List<Task<Void>> ts = new ArrayList<>();
                    try {
                        TaskGroup.run(Wait.ALL, g -> {
                            for (int i = 1; i <= 3; i++) {
                                ts.add(g.spawn(eventChild(trail, evt, i)));
                            }
                        });
                    } catch (CancelledError e) {
                        trail.add("group " + e.getClass().getSimpleName() + ": " + ts.get(0).cancelled() + " "
                                + ts.get(1).cancelled() + " " + ts.get(2).cancelled());
                        throw e;
                    }
                });
            } catch (TaskTimeout e) {
                trail.add("caught TaskTimeout");
            }
        });
        assertThat(trail.events()).containsExactly(
                "child 1 waits", "child 2 waits", "child 3 waits",
                "child 1 TaskCancelled", "child 2 TaskCancelled", "child 3 TaskCancelled",
                "group TaskTimeout: true true true", "caught TaskTimeout");
    }

    private static CheckedRunnable eventChild(Trail trail, Event evt, int n) {
        return () -> {
            trail.add("child " + n + " waits");
            try {
                evt.await();
            } catch (CancelledError e) {
                trail.add("child " + n + " " + e.getClass().getSimpleName());
                throw e;
            }
        };
    }

    // Not in test_task.py; checked against Curio 1.6: a member cancelled from outside the group
    // finishes with TaskCancelled, which counts as a failure: the wait ends and the rest is cancelled.
    @Test
    void memberCancelledFromOutsideEndsTheWait() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<?>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                Task<Integer> t1 = grp.spawn(waiter(trail, evt, 1, 1));
                ts.add(t1);
                ts.add(grp.spawn(waiter(trail, evt, 2, 2)));
                ts.add(Curio.spawn(() -> {
                    trail.add("canceller cancels t1");
                    t1.cancel();
                    trail.add("canceller done");
                }));
            });
            trail.add("completed is t1 " + (g.completed() == ts.get(0)) + " exc "
                    + g.exception().getClass().getSimpleName() + " t2 cancelled=" + ts.get(1).cancelled());
            ts.get(2).join();
        });
        assertThat(trail.events()).containsExactly(
                "child2 1+1 waits", "child2 2+2 waits", "canceller cancels t1", "child2 1+1 TaskCancelled",
                "canceller done", "child2 2+2 TaskCancelled",
                "completed is t1 true exc TaskCancelled t2 cancelled=true");
    }

    // Not in test_task.py; checked against Curio 1.6: a member may spawn into its own group; the
    // new member is its child and the group waits for it too.
    @Test
    void memberSpawnsIntoItsGroup() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                grp.spawn(() -> {
                    trail.add("spawner adds a member");
                    Task<Integer> t = grp.spawn(add(trail, 5, 5));
                    trail.add("member parent is spawner " + (t.parentId().getAsLong() == Curio.currentTask().id()));
                    return 0;
                });
            });
            trail.add("results " + g.results());
        });
        assertThat(trail.events()).containsExactly(
                "spawner adds a member", "member parent is spawner true", "child 5+5", "results [0, 10]");
    }

    // Ports test_task_group_cancel_remaining: next_done, next_result, then cancel_remaining.
    // Curio cancels the two waiters in set order; ours is spawn order.
    @Test
    void nextDoneNextResultAndCancelRemaining() {
        Trail trail = new Trail();
        Event evt = new Event();
        TestKernels.run(() -> {
            List<Task<?>> ts = new ArrayList<>();
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                ts.add(grp.spawn(add(trail, 1, 1)));
                ts.add(grp.spawn(add(trail, 2, 2)));
                ts.add(grp.spawn(namedWaiter(trail, evt, 2)));
                ts.add(grp.spawn(namedWaiter(trail, evt, 3)));
                Task<?> t = grp.nextDone();
                trail.add("next_done is t0 " + (t == ts.get(0)));
                trail.add("next_result " + grp.nextResult());
                grp.cancelRemaining();
                trail.add("cancelled remaining");
            });
            trail.add("joined: " + ts.get(2).cancelled() + " " + ts.get(3).cancelled() + " results " + g.results());
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "child 2+2", "waiter 2 waits", "waiter 3 waits", "next_done is t0 true",
                "next_result 4", "waiter 2 TaskCancelled", "waiter 3 TaskCancelled", "cancelled remaining",
                "joined: true true results []");
    }

    private static CheckedRunnable namedWaiter(Trail trail, Event evt, int n) {
        return () -> {
            trail.add("waiter " + n + " waits");
            try {
                evt.await();
            } catch (CancelledError e) {
                trail.add("waiter " + n + " " + e.getClass().getSimpleName());
                throw e;
            }
        };
    }

    // Ports test_taskgroup_misc: cancel_remaining on an empty group and on a group never joined.
    @Test
    void cancelRemainingWithoutJoin() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskGroup empty = new TaskGroup();
            empty.cancelRemaining();
            trail.add("empty cancel_remaining");
            TaskGroup g = new TaskGroup();
            Task<Void> t = g.spawn(sleeper(trail, "s", 0));
            g.cancelRemaining();
            trail.add("cancel_remaining: cancelled=" + t.cancelled() + " terminated=" + t.terminated()
                    + " tasks=" + g.tasks());
        });
        assertThat(trail.events()).containsExactly(
                "empty cancel_remaining", "s sleeps", "s TaskCancelled",
                "cancel_remaining: cancelled=true terminated=true tasks=[]");
    }

    // ---- no task outlives its group (the Java forms) ----

    // Java-only form: try-with-resources when the body never calls join(): close() cancels and
    // waits for every member, daemons included, so none outlives the block. Same order as Curio's
    // explicit "finally: cancel_remaining(); join()".
    @Test
    void closeWithoutJoinCancelsWhatIsLeft() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Task<Void> member;
            Task<Void> daemon;
            Kernel k = Kernel.current();
            try (TaskGroup g = new TaskGroup()) {
                member = g.spawn(sleeper(trail, "member", 5));
                daemon = g.spawnDaemon("daemon", sleeper(trail, "daemon", 5));
                Curio.sleep(0);
                trail.add("body leaves");
            }
            trail.add("closed: member " + member.state() + " daemon " + daemon.state()
                    + " kernel tasks " + k.taskCount());
        });
        assertThat(trail.events()).containsExactly(
                "member sleeps", "daemon sleeps", "body leaves",
                "member TaskCancelled", "daemon TaskCancelled",
                "closed: member TERMINATED daemon TERMINATED kernel tasks 1");
    }

    // After test_task_any_cancel; ordering checked against Curio 1.6: whatever the policy, no
    // member is alive once run() returns; the only task left in the kernel is the main task.
    @Test
    void noMemberOutlivesRun() {
        Trail trail = new Trail();
        Event never = new Event();
        TestKernels.run(() -> {
            Kernel k = Kernel.current();
            for (Wait w : Wait.values()) {
                List<Task<?>> ts = new ArrayList<>();
                TaskGroup.run(w, g -> {
                    ts.add(g.spawn(add(trail, 1, 1)));
                    ts.add(g.spawn(() -> {
                        never.await();
                        return 0;
                    }));
                    ts.add(g.spawnDaemon("d", () -> {
                        never.await();
                        return 0;
                    }));
                    if (w == Wait.ALL) {
                        g.spawn(() -> {
                            throw new IllegalArgumentException("ends the wait");
                        });
                    }
                });
                trail.add(w + ": terminated " + ts.stream().allMatch(Task::terminated) + " kernel tasks " + k.taskCount());
            }
        });
        assertThat(trail.events()).containsExactly(
                "child 1+1", "ALL: terminated true kernel tasks 1",
                "child 1+1", "ANY: terminated true kernel tasks 1",
                "child 1+1", "OBJECT: terminated true kernel tasks 1",
                // under wait=None the adder is cancelled before it starts, but it makes no blocking
                // call, so it runs to its end all the same (as in Curio)
                "child 1+1", "NONE: terminated true kernel tasks 1");
    }

    // ---- misuse and premature access ----

    // Ports test_task_group_use_error (except its spawn_thread case: there are no async threads yet).
    @Test
    void misuseRaises() {
        TestKernels.run(() -> {
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {
                Task<Long> t1 = grp.spawn(() -> Curio.sleep(0));
                assertThatThrownBy(() -> grp.addTask(t1))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("Task is already part of a task group");
            });
            assertThatThrownBy(() -> g.spawn(() -> Curio.sleep(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("TaskGroup already joined");
            Task<Long> t2 = Curio.spawn(() -> Curio.sleep(0));
            assertThatThrownBy(() -> g.addTask(t2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("TaskGroup already joined");
            t2.join();
        });
    }

    // Java-only: bad arguments are named in the error.
    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new TaskGroup(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
        assertThatThrownBy(() -> TaskGroup.run(Wait.ALL, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body");
        TestKernels.run(() -> {
            TaskGroup g = new TaskGroup();
            assertThatThrownBy(() -> g.addTask(null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task");
            assertThatThrownBy(() -> g.spawn((Callable<Object>) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body");
            g.join();
        });
    }

    // Ports test_task_group_empty.
    @Test
    void emptyGroup() {
        TestKernels.run(() -> {
            TaskGroup g = TaskGroup.run(Wait.ALL, grp -> {});
            assertThat(g.exception()).isNull();
            assertThat(g.exceptions()).isEmpty();
            assertThat(g.results()).isEmpty();
            assertThatThrownBy(g::result)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("No task successfully completed");
        });
    }

    // Ports test_errors: results of a group not yet joined raise; next_result of an empty group raises.
    @Test
    void resultsBeforeJoinRaise() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskGroup g = new TaskGroup();
            List<Runnable> reads = List.of(g::result, g::exception, g::results, g::exceptions);
            List<String> names = List.of("result", "exception", "results", "exceptions");
            for (int i = 0; i < reads.size(); i++) {
                try {
                    reads.get(i).run();
                    trail.add(names.get(i) + " returned");
                } catch (IllegalStateException e) {
                    trail.add(names.get(i) + ": " + e.getMessage());
                }
            }
            try {
                g.nextResult();
                trail.add("next_result returned");
            } catch (IllegalStateException e) {
                trail.add("next_result: " + e.getMessage());
            }
            g.join();
            trail.add("joined");
        });
        assertThat(trail.events()).containsExactly(
                "result: Task group not yet terminated",
                "exception: Task group not yet terminated",
                "results: Task group not yet terminated",
                "exceptions: Task group not yet terminated",
                "next_result: No task available",
                "joined");
    }
}
