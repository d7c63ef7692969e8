package dev.curio.queue;

import dev.curio.Threads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.sync.UniversalEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The stress test: 8 platform threads (4 producers, 4 consumers) and 1,000 tasks in two
 * kernels (500 producers, 500 consumers) through one bounded {@link UniversalQueue}; every item
 * must be delivered exactly once. Half of each side uses the timed forms with 1 ms timeouts, and
 * every fifth consumer task is cancelled while it works, so hand-overs keep racing timeouts and
 * cancellations. Nothing waits on time: the scenario ends on a latch counted per delivered item;
 * the only durations are hang guards.
 */
class UniversalQueueStressTest {

    static final int SENTINEL = -1;
    static final int THREAD_PRODUCERS = 4;
    static final int THREAD_CONSUMERS = 4;
    static final int ITEMS_PER_THREAD = 2_500;
    static final int KERNELS = 2;
    static final int PRODUCER_TASKS_PER_KERNEL = 250;
    static final int CONSUMER_TASKS_PER_KERNEL = 250;
    static final int ITEMS_PER_TASK = 20;
    static final int TOTAL = THREAD_PRODUCERS * ITEMS_PER_THREAD
            + KERNELS * PRODUCER_TASKS_PER_KERNEL * ITEMS_PER_TASK;
    static final Duration SHORT = Duration.ofMillis(1);

    final UniversalQueue<Integer> q = new UniversalQueue<>(8);
    final AtomicIntegerArray delivered = new AtomicIntegerArray(TOTAL);
    final CountDownLatch allItems = new CountDownLatch(TOTAL);
    final UniversalEvent allDelivered = new UniversalEvent();

    void deliver(int item) {
        delivered.incrementAndGet(item);
        allItems.countDown();
        q.taskDone();
    }

    /** Puts {@code item}, with put() or with offer() retried until it is accepted. */
    void produce(int item, boolean timed) {
        if (timed) {
            while (!q.offer(item, SHORT)) {
                // a refused offer added nothing: try again
            }
        } else {
            q.put(item);
        }
    }

    void kernelMain(int k) {
        int base = THREAD_PRODUCERS * ITEMS_PER_THREAD + k * PRODUCER_TASKS_PER_KERNEL * ITEMS_PER_TASK;
        List<Task<?>> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMER_TASKS_PER_KERNEL; c++) {
            boolean timed = c % 2 == 1;
            consumers.add(Curio.spawn(() -> {
                try {
                    while (true) {
                        Integer item = timed ? q.poll(SHORT) : q.get();
                        if (item != null) {
                            deliver(item);
                        }
                    }
                } catch (CancelledError e) {
                    // cancelled by the chaos below or at the end: whatever it took was delivered
                }
            }));
        }
        List<Task<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCER_TASKS_PER_KERNEL; p++) {
            int first = base + p * ITEMS_PER_TASK;
            boolean timed = p % 2 == 1;
            producers.add(Curio.spawn(() -> {
                for (int i = 0; i < ITEMS_PER_TASK; i++) {
                    produce(first + i, timed);
                }
            }));
        }
        for (int c = 0; c < consumers.size(); c += 5) {
            Curio.sleep(0);
            consumers.get(c).cancel();
        }
        for (Task<?> p : producers) {
            p.join();
        }
        allDelivered.await();
        for (Task<?> c : consumers) {
            c.cancel();
        }
    }

    @RepeatedTest(3)
    void everyItemDeliveredExactlyOnce() throws Exception {
        List<Threads> kernels = new ArrayList<>();
        for (int k = 0; k < KERNELS; k++) {
            int kk = k;
            kernels.add(Threads.start("kernel-" + k,
                    () -> Curio.run(Kernel.builder().name("stress-" + kk), () -> {
                        kernelMain(kk);
                        return null;
                    })));
        }
        List<Threads> consumers = new ArrayList<>();
        for (int c = 0; c < THREAD_CONSUMERS; c++) {
            boolean timed = c % 2 == 1;
            consumers.add(Threads.start("consumer-" + c, () -> {
                while (true) {
                    Integer item = timed ? q.poll(SHORT) : q.get();
                    if (item == null) {
                        continue;
                    }
                    if (item == SENTINEL) {
                        q.taskDone();
                        return;
                    }
                    deliver(item);
                }
            }));
        }
        List<Threads> producers = new ArrayList<>();
        for (int p = 0; p < THREAD_PRODUCERS; p++) {
            int first = p * ITEMS_PER_THREAD;
            boolean timed = p % 2 == 1;
            producers.add(Threads.start("producer-" + p, () -> {
                for (int i = 0; i < ITEMS_PER_THREAD; i++) {
                    produce(first + i, timed);
                }
            }));
        }
        for (Threads p : producers) {
            p.join();
        }
        assertThat(allItems.await(2, TimeUnit.MINUTES)).as("all items delivered (hang guard)").isTrue();
        allDelivered.set();
        for (Threads k : kernels) {
            k.join();
        }
        assertThat(q.join(Duration.ofMinutes(1))).isTrue();
        for (int c = 0; c < THREAD_CONSUMERS; c++) {
            q.put(SENTINEL);
        }
        for (Threads c : consumers) {
            c.join();
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
            if (delivered.get(i) != 1) {
                wrong.add(i + " delivered " + delivered.get(i) + " times");
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(q.size()).isZero();
        assertThat(q.unfinished()).isZero();
        assertThat(q.getWaiting()).isZero();
        assertThat(q.putWaiting()).isZero();
    }
}
