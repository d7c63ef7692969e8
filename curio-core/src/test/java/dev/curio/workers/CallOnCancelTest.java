package dev.curio.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@code runInThread}/{@code blockInThread} with Curio's {@code call_on_cancel}: the outcome of
 * work whose caller was cancelled while it ran goes to the callback instead of being dropped, so
 * a resource the zombie opened is closed. Curio 1.6 has no test of it; these follow
 * {@code test_worker_cancel} of its {@code tests/test_workers.py}.
 */
class CallOnCancelTest {

    /** What the work opens: it must not leak when nobody is left to receive it. */
    record Resource(String name, Trail trail) implements AutoCloseable {
        @Override
        public void close() {
            trail.add("closed " + name);
        }
    }

    @Test
    void aZombiesResourceIsHandedToTheCallback() throws Exception {
        Trail trail = new Trail();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> handled = new CompletableFuture<>();
        ThreadWorkers pool = new ThreadWorkers(4);
        TestKernels.run(() -> {
            Resource kept = Workers.runInThread(pool, () -> new Resource("r0", trail), (r, e) -> trail.add("not called"));
            trail.add("caller got " + kept.name());
            Task<?> caller = Curio.spawn("caller", () -> {
                try {
                    Workers.runInThread(pool, () -> {
                        started.countDown();
                        release.await();
                        trail.add("work opens r1");
                        return new Resource("r1", trail);
                    }, (r, e) -> {
                        trail.add("callOnCancel got " + r.name() + ", failure " + e);
                        r.close();
                        handled.complete(null);
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
            release.countDown();
            Workers.awaitFuture(handled);
            trail.add("main done");
        });
        pool.close();
        assertThat(pool.awaitTermination(Duration.ofMinutes(1))).isTrue();
        assertThat(trail.events()).containsExactly(
                "caller got r0", "caller cancelled", "work opens r1", "callOnCancel got r1, failure null",
                "closed r1", "main done");
    }

    @Test
    void aZombiesFailureIsHandedToTheCallback() throws Exception {
        Trail trail = new Trail();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> handled = new CompletableFuture<>();
        TestKernels.run(() -> {
            Task<?> caller = Curio.spawn(() -> Workers.blockInThread("disk", () -> {
                started.countDown();
                release.await();
                throw new IOException("disk on fire");
            }, (r, e) -> {
                trail.add("callOnCancel got value " + r + ", failure " + e.getMessage());
                handled.complete(null);
            }));
            Workers.runInThread(() -> {
                started.await();
                return null;
            });
            caller.cancel();
            trail.add("caller cancelled: " + caller.cancelled());
            release.countDown();
            Workers.awaitFuture(handled);
        });
        assertThat(trail.events()).containsExactly("caller cancelled: true", "callOnCancel got value null, failure disk on fire");
    }

    // Work whose caller was cancelled while it waited for a thread never runs, and so never
    // reaches the callback (Curio: the request is withdrawn before a thread takes it).
    @Test
    void workThatNeverStartedIsNotHandedOver() throws Exception {
        Trail trail = new Trail();
        CountDownLatch blockerStarted = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        ThreadWorkers pool = new ThreadWorkers(1);
        TestKernels.run(() -> {
            Task<?> blocker = Curio.spawn(() -> Workers.runInThread(pool, () -> {
                blockerStarted.countDown();
                releaseBlocker.await();
                return null;
            }));
            Workers.runInThread(() -> {
                blockerStarted.await();
                return null;
            });
            Task<?> queued = Curio.spawn(() -> Workers.runInThread(pool, () -> {
                trail.add("queued work ran");
                return new Resource("never", trail);
            }, (r, e) -> trail.add("callOnCancel called")));
            Curio.sleep(0);
            trail.add("queued behind the blocker: " + pool.queuedCalls());
            queued.cancel();
            releaseBlocker.countDown();
            blocker.join();
            trail.add("next call: " + Workers.runInThread(pool, () -> "ran")); // FIFO: after the withdrawn one
        });
        pool.close();
        assertThat(trail.events()).containsExactly("queued behind the blocker: 1", "next call: ran");
    }
}
