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
 * A virtual thread that a task starts but that is not a task itself ("foreign") gets its creator's
 * scheduler from the JDK (VirtualThread's constructor), so on the owned carrier the kernel's: it
 * must still run while the kernel idles with its tasks out, and after the kernel ended.
 *
 * <p>Found by the blocking-library tests (issue 20), failing at the commit that added stepping out:
 * the owned carrier ran such threads only between two tasks, so they starved while the kernel
 * idled in its selector and never ran again once its run ended. The JDK's socket pollers are such
 * threads: in the default poller mode on Linux (jdk.pollerMode=2) the "SubPoller" virtual threads
 * start when sun.nio.ch.Poller is first used, and when the first virtual thread of the JVM to block
 * on a socket was a task (a JDBC query in a task), every socket wake-up of the JVM depended on that
 * kernel: a task stepped out in a JDBC read was never woken (JdbcInTasksSpringBootTests hung with
 * PostgreSQL's answers unread, both backends idle in ClientRead), and StepOutTest's socket test
 * hung in curio-core's default-carrier run, where it is the first such read of its JVM.
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
