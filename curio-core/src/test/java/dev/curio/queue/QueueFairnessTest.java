package dev.curio.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.AsyncOnlyError;
import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the issue asks of the kernel-only queues beyond Curio's tests: nothing lost or added by a
 * cancelled waiter, FIFO hand-over that a newcomer cannot overtake, errors on misuse, iteration.
 */
class QueueFairnessTest {

    @Test // a getter woken by a put and then cancelled before it ran still returns the item
    void cancelledGetLosesNoItem() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<String> q = new TaskQueue<>();
            Task<?> g = Curio.spawn(() -> {
                String item = q.get();
                trail.add("got " + item);
                try {
                    Curio.sleep(1);
                } catch (TaskCancelled e) {
                    trail.add("cancelled at next sleep");
                }
            });
            Curio.sleep(0);
            q.put("a");
            g.cancel();
            trail.add("size " + q.size() + ", getters " + q.getWaiting());
        });
        assertThat(trail.events()).containsExactly("got a", "cancelled at next sleep", "size 0, getters 0");
    }

    @Test // a getter cancelled while waiting takes nothing; the next item goes to the next getter
    void cancelledWaitingGetterIsSkipped() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<String> q = new TaskQueue<>();
            List<Task<?>> gs = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String name = "g" + i;
                gs.add(Curio.spawn(() -> {
                    try {
                        trail.add(name + " got " + q.get());
                    } catch (CancelledError e) {
                        trail.add(name + " cancelled");
                    }
                }));
            }
            Curio.sleep(0);
            gs.get(0).cancel();
            q.put("a");
            q.put("b");
            for (Task<?> t : gs) {
                t.join();
            }
            trail.add("size " + q.size());
        });
        assertThat(trail.events()).containsExactly("g1 cancelled", "g2 got a", "g3 got b", "size 0");
    }

    @Test // a putter cancelled while waiting adds nothing, also when it times out
    void cancelledPutAddsNone() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<String> q = new TaskQueue<>(1);
            q.put("first");
            Task<?> p1 = Curio.spawn(() -> {
                try {
                    q.put("cancelled");
                } catch (CancelledError e) {
                    trail.add("p1 cancelled");
                }
            });
            Task<?> p2 = Curio.spawn(() -> {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> q.put("timed out"));
                } catch (TaskTimeout e) {
                    trail.add("p2 timeout");
                }
            });
            Task<?> p3 = Curio.spawn(() -> {
                q.put("third");
                trail.add("p3 put");
            });
            Curio.sleep(0);
            p1.cancel();
            Curio.sleep(2);
            trail.add("putters " + q.putWaiting());
            trail.add("got " + q.get());
            trail.add("got " + q.get());
            p2.join();
            p3.join();
            trail.add("size " + q.size() + ", unfinished " + q.unfinished());
        });
        assertThat(trail.events()).containsExactly(
                "p1 cancelled", "p2 timeout", "putters 1", "got first", "p3 put", "got third", "size 0, unfinished 2");
    }

    /**
     * A woken getter keeps the item it was promised: main, arriving while "a" is promised to the
     * woken task, waits for the next item. (Curio 1.6 lets main take "a"; the woken getter then
     * waits again behind it: ['main got a', 'early got b'].)
     */
    @Test
    void newcomerCannotOvertakeWokenGetter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<String> q = new TaskQueue<>();
            Task<?> early = Curio.spawn(() -> trail.add("early got " + q.get()));
            Curio.sleep(0);
            q.put("a");
            Task<?> producer = Curio.spawn(() -> q.put("b"));
            trail.add("main got " + q.get());
            early.join();
            producer.join();
        });
        assertThat(trail.events()).containsExactly("early got a", "main got b");
    }

    /**
     * A putter woken by a get owns the freed slot: main's put, arriving meanwhile, waits behind it.
     * (Curio 1.6: ['got a', 'main put c', 'c got c', 'p put b', 'c got b'].)
     */
    @Test
    void newcomerCannotOvertakeWokenPutter() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<String> q = new TaskQueue<>(1);
            q.put("a");
            Task<?> p = Curio.spawn(() -> {
                q.put("b");
                trail.add("p put b");
            });
            Curio.sleep(0);
            trail.add("got " + q.get());
            Task<?> c = Curio.spawn(() -> {
                trail.add("c got " + q.get());
                trail.add("c got " + q.get());
            });
            q.put("c");
            trail.add("main put c");
            p.join();
            c.join();
        });
        assertThat(trail.events()).containsExactly("got a", "p put b", "c got b", "main put c", "c got c");
    }

    @Test
    void misuse() {
        assertThatThrownBy(() -> new TaskQueue<>(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxsize must be >= 0");
        assertThatThrownBy(() -> new TaskLifoQueue<>(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskPriorityQueue<Integer>(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskQueue<String>().get()).isInstanceOf(AsyncOnlyError.class)
                .hasMessageContaining("get");
        TestKernels.run(() -> {
            TaskQueue<String> q = new TaskQueue<>();
            assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class).hasMessage("item");
            q.put("x");
            q.taskDone();
            assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("taskDone() called more times than items were put");
            q.join(); // nothing unfinished: returns at once
        });
    }

    @Test // join wakes every joiner once the last item is done
    void joinWakesAllJoiners() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> q = new TaskQueue<>();
            q.put(1);
            q.put(2);
            Task<?> j1 = Curio.spawn(() -> {
                q.join();
                trail.add("j1 joined");
            });
            Task<?> j2 = Curio.spawn(() -> {
                q.join();
                trail.add("j2 joined");
            });
            Curio.sleep(0);
            q.get();
            q.taskDone();
            Curio.sleep(0);
            trail.add("one done");
            q.get();
            q.taskDone();
            j1.join();
            j2.join();
        });
        assertThat(trail.events()).containsExactly("one done", "j1 joined", "j2 joined");
    }

    @Test // equal priorities come out in put order; a comparator can reverse the order
    void priorityQueueOrdering() {
        record Job(int prio, String name) {}
        List<String> out = new ArrayList<>();
        TestKernels.run(() -> {
            var q = new TaskPriorityQueue<Job>(0, Comparator.comparingInt(Job::prio));
            q.put(new Job(2, "b1"));
            q.put(new Job(1, "a1"));
            q.put(new Job(2, "b2"));
            q.put(new Job(1, "a2"));
            q.put(new Job(2, "b3"));
            while (!q.empty()) {
                out.add(q.get().name());
            }
            var rev = new TaskPriorityQueue<Integer>(0, Comparator.reverseOrder());
            for (int i : new int[] {3, 9, 1}) {
                rev.put(i);
            }
            out.add("max " + rev.get());
        });
        assertThat(out).containsExactly("a1", "a2", "b1", "b2", "b3", "max 9");
    }

    @Test // iteration is Curio's `async for`: each step is a get; cancellation ends the loop
    void iterationEndsByCancellation() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<String> q = new TaskQueue<>();
            Task<?> reader = Curio.spawn(() -> {
                try {
                    for (String msg : q) {
                        trail.add("got " + msg);
                    }
                } catch (TaskCancelled e) {
                    trail.add("loop ended by cancel");
                }
            });
            q.put("x");
            q.put("y");
            Curio.sleep(0.1);
            reader.cancel();
            trail.add("size " + q.size() + ", getters " + q.getWaiting());
        });
        assertThat(trail.events()).containsExactly("got x", "got y", "loop ended by cancel", "size 0, getters 0");
    }
}
