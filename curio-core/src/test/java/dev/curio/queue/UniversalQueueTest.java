package dev.curio.queue;

import dev.curio.Threads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.sync.UniversalEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Port of the universal-queue part of Curio 1.6 {@code tests/test_queue.py} (without the asyncio
 * and {@code withfd} cases), plus the timed and cancelled forms across the thread boundary. Curio's
 * {@code run_in_thread(t.join)} is a {@link UniversalEvent} the thread sets when it is done.
 */
class UniversalQueueTest {

    static final int NONE = -1;

    @Test // test_univ_queue_basic
    void basic() {
        UniversalQueue<Integer> q = new UniversalQueue<>();
        assertThat(q.empty()).isTrue();
        assertThat(q.size()).isZero();
        assertThat(q.full()).isFalse();
        assertThatThrownBy(() -> new UniversalQueue<>(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxsize must be >= 0");
        assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taskDone() called more times");
    }

    @Test // test_univ_queue_sync_async: thread producer -> task consumer, join across the boundary
    void threadProducerTaskConsumer() throws Exception {
        List<Integer> result = Collections.synchronizedList(new ArrayList<>());
        UniversalQueue<Integer> q = new UniversalQueue<>();
        UniversalEvent producerDone = new UniversalEvent();
        TestKernels.run(() -> {
            Task<?> t1 = Curio.spawn(() -> {
                while (true) {
                    int item = q.get();
                    if (item == NONE) {
                        break;
                    }
                    result.add(item);
                    q.taskDone();
                }
            });
            Threads t2 = Threads.start("producer", () -> {
                for (int i = 0; i < 10; i++) {
                    q.put(i);
                }
                q.join();
                producerDone.set();
            });
            producerDone.await();
            q.put(NONE);
            t1.join();
            t2.join();
        });
        assertThat(result).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test // test_univ_queue_async_sync: task producer -> thread consumer, the task joins
    void taskProducerThreadConsumer() {
        List<Integer> result = Collections.synchronizedList(new ArrayList<>());
        UniversalQueue<Integer> q = new UniversalQueue<>();
        UniversalEvent consumerDone = new UniversalEvent();
        TestKernels.run(() -> {
            Threads t1 = Threads.start("consumer", () -> {
                while (true) {
                    int item = q.get();
                    if (item == NONE) {
                        break;
                    }
                    result.add(item);
                    q.taskDone();
                }
                consumerDone.set();
            });
            Task<?> t2 = Curio.spawn(() -> {
                for (int i = 0; i < 10; i++) {
                    q.put(i);
                    Curio.sleep(0.1);
                }
                q.join();
            });
            t2.join();
            q.put(NONE);
            consumerDone.await();
            t1.join();
            assertThat(result).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        });
    }

    @Test // test_univ_queue_cancel: a consumer task whose gets keep timing out loses nothing
    void timedOutGetsLoseNothing() {
        List<Integer> result = Collections.synchronizedList(new ArrayList<>());
        UniversalQueue<Integer> q = new UniversalQueue<>(2);
        UniversalEvent producerDone = new UniversalEvent();
        int[] timeouts = {0};
        // Real clock: the gets time out while the producer thread runs, racing its hand-overs.
        Curio.run(Kernel.builder(), () -> {
            Task<?> t1 = Curio.spawn(() -> {
                while (true) {
                    Integer item;
                    try {
                        item = Curio.timeoutAfter(Duration.ofMillis(1), q::get);
                    } catch (TaskTimeout e) {
                        timeouts[0]++;
                        continue;
                    }
                    if (item == NONE) {
                        break;
                    }
                    result.add(item);
                    q.taskDone();
                }
            });
            Threads t2 = Threads.start("producer", () -> {
                for (int i = 0; i < 200; i++) {
                    q.put(i);
                }
                q.join();
                producerDone.set();
            });
            producerDone.await();
            q.put(NONE);
            t1.join();
            t2.join();
            return null;
        });
        assertThat(result).containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
        assertThat(q.getWaiting()).isZero();
    }

    @Test // test_univ_queue_multiple_consumer
    void multipleConsumerTasks() {
        List<Integer> result = Collections.synchronizedList(new ArrayList<>());
        UniversalQueue<Integer> q = new UniversalQueue<>(10);
        UniversalEvent producerDone = new UniversalEvent();
        TestKernels.run(() -> {
            List<Task<?>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                consumers.add(Curio.spawn(() -> consume(q, result)));
            }
            Threads t4 = Threads.start("producer", () -> {
                for (int i = 0; i < 1000; i++) {
                    q.put(i);
                }
                q.join();
                producerDone.set();
            });
            producerDone.await();
            for (int c = 0; c < 3; c++) {
                q.put(NONE);
            }
            for (Task<?> t : consumers) {
                t.join();
            }
            t4.join();
        });
        assertThat(result).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1000).boxed().toList());
    }

    static void consume(UniversalQueue<Integer> q, List<Integer> result) {
        while (true) {
            int item = q.get();
            if (item == NONE) {
                break;
            }
            result.add(item);
            q.taskDone();
        }
    }

    @Test // test_univ_queue_multiple_kernels
    void consumersInThreeKernels() {
        List<Integer> result = Collections.synchronizedList(new ArrayList<>());
        UniversalQueue<Integer> q = new UniversalQueue<>(10);
        UniversalEvent producerDone = new UniversalEvent();
        TestKernels.run(() -> {
            List<Threads> kernels = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                kernels.add(Threads.start("kernel-" + k, () -> TestKernels.run(() -> consume(q, result))));
            }
            Threads t4 = Threads.start("producer", () -> {
                for (int i = 0; i < 1000; i++) {
                    q.put(i);
                }
                q.join();
                producerDone.set();
            });
            producerDone.await();
            for (int k = 0; k < 3; k++) {
                q.put(NONE);
            }
            t4.join();
            for (Threads t : kernels) {
                t.join();
            }
        });
        assertThat(result).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1000).boxed().toList());
    }

    @Test // test_uqueue_put_cancel
    void putTimeoutAddsNothing() {
        UniversalQueue<Integer> q = new UniversalQueue<>(1);
        Trail trail = new Trail();
        TestKernels.run(() -> {
            q.put(1);
            try {
                Curio.timeoutAfter(Duration.ofMillis(100), () -> q.put(2));
                trail.add("not here");
            } catch (TaskTimeout e) {
                trail.add("put timeout");
            }
            trail.add("size " + q.size() + ", putters " + q.putWaiting() + ", got " + q.get() + ", empty " + q.empty());
        });
        assertThat(trail.events()).containsExactly("put timeout", "size 1, putters 0, got 1, empty true");
    }

    @Test // the task forms in order, within one kernel: FIFO hand-over to waiting getters
    void taskGettersServedInOrder() {
        Trail trail = new Trail();
        UniversalQueue<String> q = new UniversalQueue<>();
        TestKernels.run(() -> {
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
            gs.get(1).cancel();
            q.put("a");
            q.put("b");
            for (Task<?> t : gs) {
                t.join();
            }
            trail.add("size " + q.size() + ", getters " + q.getWaiting() + ", unfinished " + q.unfinished());
        });
        assertThat(trail.events()).containsExactly("g2 cancelled", "g1 got a", "g3 got b", "size 0, getters 0, unfinished 2");
    }

    @Test // a getter task cancelled after the hand-over keeps its item and sees the cancel later
    void cancelAfterHandOverKeepsTheItem() {
        Trail trail = new Trail();
        UniversalQueue<String> q = new UniversalQueue<>();
        TestKernels.run(() -> {
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
            // A thread hands the item over; the task is cancelled before the kernel has woken it.
            Threads.start("putter", () -> q.put("a")).join();
            g.cancel();
            trail.add("size " + q.size());
        });
        assertThat(trail.events()).containsExactly("got a", "cancelled at next sleep", "size 0");
    }

    @Test // the timed forms from a plain thread
    void threadTimeouts() throws Exception {
        UniversalQueue<String> q = new UniversalQueue<>(1);
        assertThat(q.poll(Duration.ofMillis(1))).isNull();
        assertThat(q.getWaiting()).isZero();
        assertThat(q.offer("a", Duration.ZERO)).isTrue();
        assertThat(q.offer("b", Duration.ofMillis(1))).isFalse();
        assertThat(q.putWaiting()).isZero();
        assertThat(q.join(Duration.ofMillis(1))).isFalse();
        assertThat(q.poll(Duration.ZERO)).isEqualTo("a");
        q.taskDone();
        assertThat(q.join(Duration.ofMillis(1))).isTrue();
        assertThat(q.size()).isZero();
        assertThatThrownBy(() -> q.poll(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be >= 0");
    }

    @Test // an interrupted thread stops waiting, takes nothing, and keeps its interrupt flag
    void interruptedThreadGetTakesNothing() throws Exception {
        UniversalQueue<String> q = new UniversalQueue<>();
        UniversalEvent waiting = new UniversalEvent();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Threads t = Threads.start("getter", () -> {
            waiting.set();
            try {
                q.get();
                seen.add("got an item");
            } catch (CancellationException e) {
                seen.add("cancelled, interrupted " + Thread.currentThread().isInterrupted());
            }
        });
        waiting.await();
        while (q.getWaiting() == 0) {
            Thread.onSpinWait();
        }
        t.thread().interrupt();
        t.join();
        q.put("x");
        assertThat(seen).containsExactly("cancelled, interrupted true");
        assertThat(q.poll(Duration.ZERO)).isEqualTo("x");
    }

    @Test // the tasks' timed forms run on the kernel clock
    void taskTimedForms() {
        Trail trail = new Trail();
        UniversalQueue<String> q = new UniversalQueue<>(1);
        TestKernels.run(() -> {
            long t0 = Curio.clock();
            trail.add("poll " + q.poll(Duration.ofSeconds(5)));
            trail.add("after " + (Curio.clock() - t0) / 1_000_000_000 + "s");
            q.put("a");
            trail.add("offer " + q.offer("b", Duration.ofSeconds(3)));
            trail.add("join " + q.join(Duration.ofSeconds(1)));
            trail.add("after " + (Curio.clock() - t0) / 1_000_000_000 + "s");
            trail.add("poll " + q.poll(Duration.ofSeconds(1)));
            trail.add("getters " + q.getWaiting() + ", putters " + q.putWaiting());
        });
        assertThat(trail.events()).containsExactly(
                "poll null", "after 5s", "offer false", "join false", "after 9s", "poll a", "getters 0, putters 0");
    }

    @Test // iteration from a task, fed by a thread, ended by cancellation
    void iteration() {
        Trail trail = new Trail();
        UniversalQueue<String> q = new UniversalQueue<>();
        UniversalEvent sawTwo = new UniversalEvent();
        TestKernels.run(() -> {
            Task<?> reader = Curio.spawn(() -> {
                try {
                    for (String msg : q) {
                        trail.add("got " + msg);
                        if (msg.equals("y")) {
                            sawTwo.set();
                        }
                    }
                } catch (TaskCancelled e) {
                    trail.add("loop ended");
                }
            });
            Threads.start("feeder", () -> {
                q.put("x");
                q.put("y");
            }).join();
            sawTwo.await();
            reader.cancel();
        });
        assertThat(trail.events()).containsExactly("got x", "got y", "loop ended");
    }
}
