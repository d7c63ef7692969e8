package dev.curio.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.AsyncOnlyError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** runInThread, blockInThread, runInExecutor, awaitFuture (after Curio's test_workers.py). */
class ThreadWorkersTest {

    @Test
    void resultsAndExceptionsComeBackUnchanged() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            trail.add(Workers.runInThread(() -> Thread.currentThread().isVirtual() ? "virtual" : "platform"));
            try {
                Workers.runInThread(() -> {
                    throw new IOException("disk on fire");
                });
            } catch (IOException e) {
                trail.add("IOException " + e.getMessage());
            }
        });
        assertThat(trail.events()).containsExactly("platform", "IOException disk on fire");
    }

    // Ports test_worker_cancel: the caller is cancelled at once; the thread finishes as a zombie.
    @Test
    void cancelledCallerReturnsAtOnceAndTheThreadFinishesAsAZombie() throws Exception {
        Trail trail = new Trail();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean zombieFinished = new AtomicBoolean();
        ThreadWorkers pool = new ThreadWorkers(4);
        TestKernels.run(() -> {
            Task<?> caller = Curio.spawn("caller", () -> {
                try {
                    Workers.runInThread(pool, () -> {
                        started.countDown();
                        release.await();
                        zombieFinished.set(true);
                        return "dropped";
                    });
                    trail.add("caller got a result");
                } catch (TaskCancelled e) {
                    trail.add("caller cancelled");
                    throw e;
                }
            });
            Workers.runInThread(() -> {
                started.await();
                return null;
            });
            caller.cancel();
            trail.add("zombie still busy: " + (pool.busyThreads() == 1));
            trail.add("pool still usable: " + Workers.runInThread(pool, () -> 42));
        });
        release.countDown();
        pool.close();
        assertThat(pool.awaitTermination(Duration.ofMinutes(1))).isTrue();
        assertThat(zombieFinished).isTrue();
        assertThat(trail.events()).containsExactly("caller cancelled", "zombie still busy: true", "pool still usable: 42");
    }

    @Test
    void workOfACallerCancelledWhileQueuedNeverRuns() throws Exception {
        ThreadWorkers pool = new ThreadWorkers(1);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        TestKernels.run(() -> {
            Task<?> first = Curio.spawn(() -> Workers.runInThread(pool, () -> {
                busy.countDown();
                release.await();
                return 1;
            }));
            Workers.runInThread(() -> {
                busy.await();
                return null;
            });
            Task<?> queued = Curio.spawn(() -> Workers.runInThread(pool, () -> queuedRan.getAndSet(true)));
            Curio.sleep(0);
            assertThat(pool.queuedCalls()).isEqualTo(1);
            queued.cancel();
            release.countDown();
            first.join();
            Workers.runInThread(pool, () -> 0); // FIFO: runs after the queue has drained
        });
        pool.close();
        assertThat(queuedRan).isFalse();
    }

    @Test
    void aThousandCallsThroughAPoolOfSixtyFour() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch allQueued = new CountDownLatch(1);
        int[] sum = new int[1];
        int[] maxLive = new int[1];
        try (Kernel k = Kernel.builder().build()) {
            k.run(() -> {
                ThreadWorkers pool = Workers.threadPool(k);
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    int v = i;
                    tasks.add(Curio.spawn(() -> Workers.runInThread(() -> {
                        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        allQueued.await(); // hold the first 64 until every call is queued
                        inFlight.decrementAndGet();
                        return v;
                    })));
                }
                Curio.sleep(0);
                maxLive[0] = pool.liveThreads();
                allQueued.countDown();
                for (Task<Integer> t : tasks) {
                    sum[0] += t.join();
                }
                return null;
            });
            ThreadWorkers pool = Workers.threadPool(k);
            k.close();
            assertThat(pool.awaitTermination(Duration.ofMinutes(1))).as("no worker thread left").isTrue();
        }
        assertThat(sum[0]).isEqualTo(999 * 1000 / 2);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(64);
        assertThat(maxLive[0]).isEqualTo(64);
    }

    // Ports test_block_in_thread: many tasks waiting on one foreign queue use one thread.
    @Test
    void blockInThreadUsesOneThreadPerCallable() throws Exception {
        LinkedBlockingQueue<Integer> foreign = new LinkedBlockingQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Trail trail = new Trail();
        dev.curio.Block<Integer, InterruptedException> take = () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                return foreign.take();
            } finally {
                inFlight.decrementAndGet();
            }
        };
        Thread feeder = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 100; i++) {
                foreign.add(i);
            }
        });
        List<Integer> got = new ArrayList<>();
        TestKernels.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(Curio.spawn(() -> Workers.blockInThread(take)));
            }
            for (Task<Integer> t : tasks) {
                got.add(t.join());
            }
            trail.add("gates left: " + Kernel.current().attachment(KeyedGate.class, KeyedGate::new).size());
        });
        feeder.join();
        assertThat(got).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
        assertThat(maxInFlight.get()).isEqualTo(1);
        assertThat(trail.events()).containsExactly("gates left: 0");
    }

    @Test
    void runInExecutorAndAwaitFuture() throws Exception {
        var executor = Executors.newFixedThreadPool(2);
        CompletableFuture<String> later = new CompletableFuture<>();
        Trail trail = new Trail();
        TestKernels.run(() -> {
            trail.add(Workers.runInExecutor(executor, () -> "from executor"));
            Curio.spawn(() -> Workers.runInThread(() -> later.complete("completed elsewhere")));
            trail.add(Workers.awaitFuture(later));
            CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("nope"));
            assertThatThrownBy(() -> Workers.awaitFuture(failed)).isInstanceOf(IllegalStateException.class);
        });
        executor.shutdown();
        assertThat(trail.events()).containsExactly("from executor", "completed elsewhere");
    }

    @Test
    void outsideATaskIsAnError() {
        assertThatThrownBy(() -> Workers.runInThread(() -> 1)).isInstanceOf(AsyncOnlyError.class)
                .hasMessageContaining("runInThread");
        assertThatThrownBy(() -> new ThreadWorkers(0)).hasMessageContaining("maxThreads");
    }
}
