package dev.curio.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Port of Curio 1.6 {@code tests/test_queue.py}, the kernel-only part. Curio's {@code None}
 * sentinel is {@code -1} here (items cannot be null).
 */
class QueueTest {

    static final int NONE = -1;

    private static void consumer(AbstractTaskQueue<Integer> queue, String label, double pause, Trail trail) {
        while (true) {
            int item = queue.get();
            if (item == NONE) {
                break;
            }
            trail.add(label + " " + item);
            if (pause > 0) {
                Curio.sleep(pause);
            }
            queue.taskDone();
        }
        queue.taskDone();
        trail.add(label + " done");
    }

    @Test // test_queue_simple
    void queueSimple() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> queue = new TaskQueue<>();
            trail.add("producer_start");
            Task<?> c1 = Curio.spawn(() -> consumer(queue, "cons1", 0, trail));
            Task<?> c2 = Curio.spawn(() -> consumer(queue, "cons2", 0, trail));
            Curio.sleep(0.1);
            for (int n = 0; n < 4; n++) {
                queue.put(n);
                Curio.sleep(0.1);
            }
            for (int n = 0; n < 2; n++) {
                queue.put(NONE);
            }
            trail.add("producer_join");
            queue.join();
            trail.add("producer_done");
            c1.join();
            c2.join();
        });
        assertThat(trail.events()).containsExactly(
                "producer_start", "cons1 0", "cons2 1", "cons1 2", "cons2 3",
                "producer_join", "cons1 done", "cons2 done", "producer_done");
    }

    @Test // test_queue_unbounded
    void queueUnbounded() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> queue = new TaskQueue<>();
            trail.add("producer_start");
            Task<?> c1 = Curio.spawn(() -> consumer(queue, "cons1", 0, trail));
            Curio.sleep(0.1);
            for (int n = 0; n < 4; n++) {
                queue.put(n);
            }
            queue.put(NONE);
            trail.add("producer_join");
            queue.join();
            trail.add("producer_done");
            c1.join();
        });
        assertThat(trail.events()).containsExactly(
                "producer_start", "producer_join", "cons1 0", "cons1 1", "cons1 2", "cons1 3",
                "cons1 done", "producer_done");
    }

    @Test // test_queue_bounded
    void queueBounded() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> queue = new TaskQueue<>(2);
            trail.add("producer_start");
            Curio.spawn(() -> consumer(queue, "cons1", 0.1, trail));
            Curio.sleep(0.1);
            for (int n = 0; n < 4; n++) {
                queue.put(n);
                trail.add("produced " + n);
            }
            queue.put(NONE);
            trail.add("producer_join");
            queue.join();
            trail.add("producer_done");
        });
        assertThat(trail.events()).containsExactly(
                "producer_start", "produced 0", "produced 1", "cons1 0", "produced 2", "cons1 1",
                "produced 3", "cons1 2", "producer_join", "cons1 3", "cons1 done", "producer_done");
    }

    @Test // test_queue_get_cancel
    void queueGetCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> queue = new TaskQueue<>();
            Task<?> task = Curio.spawn(() -> {
                try {
                    trail.add("consumer waiting");
                    queue.get();
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("consumer cancelled");
                }
            });
            Curio.sleep(0.5);
            task.cancel();
            trail.add("getters " + queue.getWaiting());
        });
        assertThat(trail.events()).containsExactly("consumer waiting", "consumer cancelled", "getters 0");
    }

    @Test // test_queue_put_cancel
    void queuePutCancel() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> queue = new TaskQueue<>(1);
            Task<?> task = Curio.spawn(() -> {
                trail.add("producer_start");
                queue.put(0);
                try {
                    queue.put(1);
                    trail.add("not here");
                } catch (CancelledError e) {
                    trail.add("producer_cancel");
                }
            });
            Curio.sleep(0.5);
            task.cancel();
            trail.add("size " + queue.size() + ", putters " + queue.putWaiting());
        });
        assertThat(trail.events()).containsExactly("producer_start", "producer_cancel", "size 1, putters 0");
    }

    @Test // test_queue_get_timeout
    void queueGetTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> queue = new TaskQueue<>();
            try {
                trail.add("consumer waiting");
                Curio.timeoutAfter(Duration.ofMillis(500), queue::get);
                trail.add("not here");
            } catch (TaskTimeout e) {
                trail.add("consumer timeout");
            }
        });
        assertThat(trail.events()).containsExactly("consumer waiting", "consumer timeout");
    }

    @Test // test_queue_put_timeout
    void queuePutTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> queue = new TaskQueue<>(1);
            trail.add("producer start");
            queue.put(0);
            try {
                Curio.timeoutAfter(Duration.ofMillis(500), () -> queue.put(1));
                trail.add("not here");
            } catch (TaskTimeout e) {
                trail.add("producer timeout");
            }
            trail.add("size " + queue.size());
        });
        assertThat(trail.events()).containsExactly("producer start", "producer timeout", "size 1");
    }

    @Test // test_queue_qsize
    void queueSize() {
        TestKernels.run(() -> {
            TaskQueue<Integer> q = new TaskQueue<>();
            assertThat(q.empty()).isTrue();
            q.put(1);
            assertThat(q.size()).isEqualTo(1);
            assertThat(q.empty()).isFalse();
            assertThat(q.full()).isFalse();
            assertThat(q).hasToString("TaskQueue[size=1, maxsize=0, getters=0, putters=0, unfinished=1]");
            TaskQueue<Integer> b = new TaskQueue<>(1);
            b.put(1);
            assertThat(b.full()).isTrue();
        });
    }

    @Test // test_priority_queue
    void priorityQueue() {
        List<Integer> results = new ArrayList<>();
        int[] priorities = {4, 2, 1, 3};
        TestKernels.run(() -> {
            TaskPriorityQueue<Integer> queue = new TaskPriorityQueue<>();
            for (int n : priorities) {
                queue.put(n);
            }
            queue.put(10); // Curio's (10, None): the last item out ends the consumer
            Curio.spawn(() -> {
                while (true) {
                    int item = queue.get();
                    if (item == 10) {
                        break;
                    }
                    results.add(item);
                    queue.taskDone();
                    Curio.sleep(0.2);
                }
                queue.taskDone();
            });
            queue.join();
        });
        assertThat(results).containsExactly(1, 2, 3, 4);
    }

    @Test // test_lifo_queue
    void lifoQueue() {
        List<Integer> results = new ArrayList<>();
        TestKernels.run(() -> {
            TaskLifoQueue<Integer> queue = new TaskLifoQueue<>();
            queue.put(NONE);
            for (int n = 0; n < 4; n++) {
                queue.put(n);
            }
            Curio.spawn(() -> {
                while (true) {
                    int item = queue.get();
                    if (item == NONE) {
                        break;
                    }
                    results.add(item);
                    queue.taskDone();
                    Curio.sleep(0.2);
                }
                queue.taskDone();
            });
            queue.join();
        });
        assertThat(results).containsExactly(3, 2, 1, 0);
    }
}
