package dev.curio.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.AsyncOnlyError;
import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskError;
import dev.curio.Trail;
import dev.curio.queue.TaskQueue;
import dev.curio.sync.Event;
import dev.curio.task.TaskGroup;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Async threads: plain threads that use their kernel through AWAIT (after Curio's test_thread.py). */
class AsyncThreadTest {

    // The manual's example: an async thread consuming a Curio queue, cancelled at its AWAIT.
    @Test
    void manualConsumerExample() {
        Trail trail = new Trail();
        Curio.run(() -> {
            TaskQueue<Integer> q = new TaskQueue<>();
            AsyncThread<Void> t = AsyncThread.spawnThread(() -> {
                try {
                    while (true) {
                        int item = AsyncThread.AWAIT(q::get);
                        trail.add("Got: " + item);
                        AsyncThread.AWAIT(() -> {
                            q.taskDone();
                            return null;
                        });
                    }
                } catch (CancelledError e) {
                    trail.add("Consumer goodbye!");
                    throw e;
                }
            });
            for (int i = 0; i < 5; i++) {
                q.put(i);
                Curio.sleep(0.001);
            }
            q.join();
            t.cancel();
            trail.add("cancelled=" + t.cancelled() + " terminated=" + t.terminated());
        });
        assertThat(trail.events()).containsExactly("Got: 0", "Got: 1", "Got: 2", "Got: 3", "Got: 4",
                "Consumer goodbye!", "cancelled=true terminated=true");
    }

    @Test
    void resultsErrorsAndKernelOperationsFromAThread() {
        Trail trail = new Trail();
        Curio.run(() -> {
            Event go = new Event();
            Event ready = new Event();
            AsyncThread<String> t = AsyncThread.spawnThread(() -> {
                trail.add("thread is virtual: " + Thread.currentThread().isVirtual());
                AsyncThread.AWAIT(() -> {
                    ready.set();
                    return null;
                });
                AsyncThread.AWAIT(() -> {
                    go.await();
                    return null;
                });
                long clock = AsyncThread.AWAIT(() -> Curio.sleep(0.001));
                trail.add("slept: " + (clock > 0));
                return "done";
            });
            ready.await();
            trail.add("main sets");
            go.set();
            trail.add("joined " + t.join());
            AsyncThread<Object> bad = AsyncThread.spawnThread(() -> {
                throw new IllegalStateException("thread failed");
            });
            assertThatThrownBy(bad::join).isInstanceOf(TaskError.class).hasCauseInstanceOf(IllegalStateException.class);
            trail.add("bad exception: " + bad.exception().getMessage());
        });
        assertThat(trail.events()).containsExactly("thread is virtual: false", "main sets", "slept: true",
                "joined done", "bad exception: thread failed");
    }

    @Test
    void aCancellationWaitsForTheThreadsNextAwait() throws Exception {
        Trail trail = new Trail();
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch finishComputing = new CountDownLatch(1);
        Curio.run(() -> {
            AsyncThread<Void> t = AsyncThread.spawnThread(() -> {
                computing.countDown();
                finishComputing.await(); // plain work: no AWAIT, so no cancellation here
                trail.add("computation done");
                try {
                    AsyncThread.AWAIT(() -> Curio.sleep(3600));
                } catch (CancelledError e) {
                    trail.add("cancelled at AWAIT");
                    throw e;
                }
                return null;
            });
            Workers.runInThread(() -> {
                computing.await();
                return null;
            });
            t.cancel(false);
            trail.add("cancel requested");
            finishComputing.countDown();
            t.await();
            trail.add("terminated " + t.terminated());
        });
        assertThat(trail.events()).containsExactly("cancel requested", "computation done", "cancelled at AWAIT",
                "terminated true");
    }

    // Curio: test_thread.py test_task_group_spawn_thread (a joined member leaves the group's results)
    @Test
    void taskGroupSpawnThread() {
        Trail trail = new Trail();
        Curio.run(() -> {
            TaskGroup w = new TaskGroup(TaskGroup.Wait.ALL);
            try (w) {
                w.spawnThread(() -> 1 + 1);
                w.spawnThread(() -> 2 + 2);
                AsyncThread<Integer> t3 = w.spawnThread(() -> 3 + 3);
                trail.add("r3 " + t3.join());
                w.join();
            }
            trail.add("results " + w.results());
        });
        assertThat(trail.events()).containsExactly("r3 6", "results [2, 4]");
    }

    // Not in Curio's tests: the group's end cancels a thread member at its AWAIT, as any member,
    // and a joined group takes no more threads (Curio: RuntimeError in test_task_group_join).
    @Test
    void taskGroupCancelsItsThreadMembers() {
        Trail trail = new Trail();
        Curio.run(() -> {
            Event never = new Event();
            TaskGroup g = TaskGroup.run(TaskGroup.Wait.ANY, grp -> {
                grp.spawnThread("waiter", () -> {
                    try {
                        AsyncThread.AWAIT(() -> {
                            never.await();
                            return null;
                        });
                    } catch (CancelledError e) {
                        trail.add("thread cancelled at AWAIT");
                        throw e;
                    }
                    return "not here";
                }, false);
                grp.spawn(() -> {
                    Curio.sleep(0.001);
                    return "first";
                });
            });
            trail.add("group result " + g.result());
            try {
                g.spawnThread(() -> "late");
            } catch (IllegalStateException e) {
                trail.add("joined group: " + e.getMessage());
            }
        });
        assertThat(trail.events()).containsExactly(
                "thread cancelled at AWAIT", "group result first", "joined group: TaskGroup already joined");
    }

    @Test
    void awaitOutsideAnAsyncThreadIsAnError() {
        assertThatThrownBy(() -> AsyncThread.AWAIT(() -> 1)).isInstanceOf(AsyncOnlyError.class)
                .hasMessageContaining("async thread");
    }
}
