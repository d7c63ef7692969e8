package dev.curio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * FAILING ON PURPOSE: a kernel bug, found by the blocking-library tests (issue 20), left to the
 * kernel's owner. A virtual thread started by a task that is not a task itself ("foreign") gets
 * the kernel's owned carrier as its scheduler: the JDK's VirtualThread constructor gives a new
 * virtual thread its creator's scheduler. Its continuations are then run by the owned carrier
 * only between two tasks (OwnedCarrier.runLoop's inner loop); while the kernel idles in its
 * selector (Kernel.loopTurn / blockingPoll) they wait in the carrier's queue, and once the
 * kernel's run ends nothing ever runs them again.
 *
 * <p>Why it matters beyond these tests: the JDK's socket pollers are such threads. In the default
 * poller mode on Linux (jdk.pollerMode=2, VTHREAD_POLLERS) the read and write "SubPoller"
 * virtual threads are started when sun.nio.ch.Poller is first used; if the first virtual thread
 * to block on a socket in the JVM is a task (a JDBC query in a task, say), every SubPoller of
 * the JVM runs on that kernel's carrier. Then a task stepped out in a socket read (a JDBC query)
 * is never woken while the kernel idles, and after that kernel closes no virtual thread of the
 * JVM, of any kernel or none, is ever woken from a socket read again. Seen first as
 * JdbcInTasksSpringBootTests hanging with both the query's and the gate's answer read by nobody
 * (PostgreSQL: both backends idle in ClientRead); with -Djdk.pollerMode=1 (platform poller
 * threads), or the Poller started first from a virtual thread of the JDK's default scheduler,
 * the same tests pass. The starter's blocking-library tests start the Poller that way
 * (JdkPollers) until this is fixed.
 */
class ForeignVirtualThreadsTest {

    private static Kernel.Builder owned() {
        return Kernel.builder().carrier(CarrierKind.OWNED).blockingCalls(BlockingCalls.RELEASE);
    }

    /** Whether {@code t} (a kernel's carrier) sleeps in the kernel's selector: the kernel idles. */
    private static boolean idlesInItsSelector(Thread t) {
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 && st[0].isNativeMethod()
                && java.util.Arrays.stream(st).anyMatch(e -> e.getMethodName().equals("blockingPoll"));
    }

    /** Runs {@code main} on a platform thread and waits for it at most 10 s (a hang fails). */
    private static <T> T runBounded(Kernel.Builder kernel, java.util.concurrent.Callable<T> main) throws Exception {
        return runBounded(kernel, main, new CompletableFuture<>());
    }

    private static <T> T runBounded(Kernel.Builder kernel, java.util.concurrent.Callable<T> main,
            CompletableFuture<Thread> carrier) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("kernel-runner").daemon(true).start(() -> {
            carrier.complete(Thread.currentThread());
            try {
                result.complete(Curio.run(kernel, main));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the kernel hung", e);
        }
    }

    @Test
    void aVirtualThreadATaskStartedRunsWhileTheKernelIdlesWithItsTasksOut() throws Exception {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Void> consumerOut = new CompletableFuture<>();
        CompletableFuture<Thread> carrier = new CompletableFuture<>();
        // Another thread (as the JDK's master poller would) wakes the helper once the kernel idles.
        Thread.ofPlatform().daemon(true).start(() -> {
            consumerOut.join();
            while (!idlesInItsSelector(carrier.join())) {
                Thread.onSpinWait();
            }
            go.countDown();
        });
        String got = runBounded(owned(), () -> {
            Thread helper = Thread.ofVirtual().name("helper").start(() -> {
                try {
                    go.await();
                    q.put("from the helper");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Task<String> consumer = Curio.spawn("consumer", q::take);
            while (!(consumer.steppedOut() && helper.getState() == Thread.State.WAITING)) {
                Curio.sleep(0.001);
            }
            consumerOut.complete(null);
            return consumer.join(); // nothing else of the kernel runs now: it idles in its selector
        }, carrier);
        assertThat(got).isEqualTo("from the helper");
    }

    @Test
    void aVirtualThreadATaskStartedRunsAfterItsKernelEnded() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Thread helper = runBounded(owned(), () -> {
            Thread t = Thread.ofVirtual().name("helper").start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            while (t.getState() != Thread.State.WAITING) {
                Curio.sleep(0.001);
            }
            return t;
        });
        go.countDown();
        assertThat(helper.join(Duration.ofSeconds(10))).as("the helper ran to its end after the kernel ended").isTrue();
    }
}
