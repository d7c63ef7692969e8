package dev.curio.queue;

import dev.curio.Threads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import dev.curio.sync.UniversalEvent;
import dev.curio.sync.UniversalResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The reference manual's queue examples ("Queues", "Universal Synchronization") as tests. The
 * manual's asyncio consumer is a second kernel in its own thread; {@code run_in_thread(t.join)} is
 * a {@link UniversalEvent} the thread sets when it is done.
 */
class ManualExamplesTest {

    static final int NONE = -1;

    @Test // "Queues": a task producer joins the queue; the main task cancels the consumer
    void taskProducerConsumer() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TaskQueue<Integer> q = new TaskQueue<>();
            Task<?> prod = Curio.spawn(() -> {
                for (int n = 0; n < 10; n++) {
                    q.put(n);
                }
                q.join();
                trail.add("Producer done");
            });
            Task<?> cons = Curio.spawn(() -> {
                while (true) {
                    int item = q.get();
                    trail.add("Consumer got " + item);
                    q.taskDone();
                }
            });
            prod.join();
            cons.cancel();
        });
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 10).forEach(n -> expected.add("Consumer got " + n));
        expected.add("Producer done");
        assertThat(trail.events()).containsExactlyElementsOf(expected);
    }

    @Test // "Universal Synchronization": a thread producer, consumers in two kernels, join and taskDone across
    void threadProducerTwoKernelConsumers() throws Exception {
        UniversalQueue<Integer> q = new UniversalQueue<>();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        UniversalEvent producerDone = new UniversalEvent();
        Threads otherKernel = Threads.start("other-kernel", () -> TestKernels.run(() -> consumer("other", q, got)));
        TestKernels.run(() -> {
            Task<?> t1 = Curio.spawn(() -> consumer("curio", q, got));
            Threads t3 = Threads.start("producer", () -> {
                for (int i = 0; i < 10; i++) {
                    q.put(i);
                }
                q.join();
                got.add("Producer done");
                producerDone.set();
            });
            producerDone.await();
            q.put(NONE); // the sentinel: each consumer puts it back for the next one
            t1.join();
            t3.join();
        });
        otherKernel.join();
        assertThat(got).contains("Producer done", "curio consumer done", "other consumer done");
        assertThat(got.indexOf("Producer done")).as("join returns after the tenth taskDone").isEqualTo(10);
        List<Integer> items = got.stream().filter(s -> s.contains(" got: "))
                .map(s -> Integer.parseInt(s.substring(s.indexOf(": ") + 2))).sorted().toList();
        assertThat(items).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
        assertThat(q.size()).isEqualTo(1); // the sentinel, put back by the last consumer
    }

    static void consumer(String name, UniversalQueue<Integer> q, List<String> got) {
        while (true) {
            int item = q.get();
            if (item == NONE) {
                break;
            }
            got.add(name + " got: " + item);
            q.taskDone();
        }
        got.add(name + " consumer done");
        q.put(NONE);
    }

    @Test // "Universal Synchronization": a task waits for the result a thread computes
    void taskWaitsForThreadResult() {
        int r = TestKernels.run(() -> {
            UniversalResult<Integer> result = new UniversalResult<>();
            Threads.start("worker", () -> {
                try {
                    result.setValue(2 + 3);
                } catch (RuntimeException err) {
                    result.setException(err);
                }
            });
            return result.unwrap();
        });
        assertThat(r).isEqualTo(5);
    }
}
