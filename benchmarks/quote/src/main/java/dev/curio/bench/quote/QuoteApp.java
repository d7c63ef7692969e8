package dev.curio.bench.quote;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.task.TaskGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 20's newcomer application, written as a user of the starter writes one: each endpoint
 * submits a request task through {@link CurioTasks#submit} and returns its future.
 * <ul>
 *   <li>{@code GET /quote}: a task group of two concurrent {@code Curio.sleep}s of 100-300 ms
 *       (uniformly random, standing for two backend calls) under a 1 s {@code Curio.timeoutAfter};
 *       the starter answers the {@code TaskTimeout} with 503. {@code ?slow=1} makes both sleeps
 *       1,200-1,500 ms, so that the answer is always the 503 of the 1 s timeout: how late it
 *       arrives is the timeout's lateness.</li>
 *   <li>{@code GET /block?ms=300}: a task that calls {@code Thread.sleep(ms)}, the blocking JDK
 *       call (JDBC, {@code java.io}, a contended lock) a newcomer makes inside a task.</li>
 *   <li>{@code GET /stats}: the slow quotes' timings inside the application since the last call
 *       (how long each waited for the kernel, how late its timeout reached it).</li>
 *   <li>{@code GET /policy}: the kernel's carrier and its effective rule for blocking calls
 *       ({@code owned RELEASE} or {@code owned HOLD}), which the runner checks before measuring.</li>
 * </ul>
 * Prints {@code QUOTE READY port=N} once the web server listens ({@code --server.port=0} works).
 *
 * <p>Thread-safety: the controller's only state is the concurrent queue of timings; the task bodies
 * run on the kernel.
 */
@SpringBootApplication
public class QuoteApp {

    /** The request's timeout, as in the issue. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    public static void main(String[] args) {
        SpringApplication.run(QuoteApp.class, args);
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> announcePort() {
        return e -> System.out.println("QUOTE READY port=" + e.getWebServer().getPort());
    }

    @RestController
    static class Endpoints {
        private final CurioTasks curio;
        private final ConcurrentLinkedQueue<String> stats = new ConcurrentLinkedQueue<>();

        Endpoints(CurioTasks curio) {
            this.curio = curio;
        }

        @GetMapping("/quote")
        CompletableFuture<String> quote(@RequestParam(defaultValue = "false") boolean slow) {
            long submitted = System.nanoTime();
            return curio.submit("quote", () -> {
                long started = System.nanoTime();
                try {
                    return Curio.timeoutAfter(TIMEOUT, () -> {
                        try (TaskGroup g = Curio.taskGroup()) {
                            Task<Long> a = g.spawn("price-a", () -> backend(slow));
                            Task<Long> b = g.spawn("price-b", () -> backend(slow));
                            g.join();
                            return "quote " + a.result() + " " + b.result();
                        }
                    });
                } catch (TaskTimeout e) {
                    if (slow) {
                        long now = System.nanoTime();
                        stats.add((started - submitted) + "/" + (now - started - TIMEOUT.toNanos()));
                    }
                    throw e;
                }
            });
        }

        /**
         * The slow quotes' timings seen inside the application since the last call, then forgotten:
         * per slow quote {@code START/LATE} in ns, START = from the controller's submit to the task's
         * first instruction (the wait for the kernel), LATE = how late the {@code TaskTimeout}
         * reached the task after its 1 s (the kernel's own lateness, HTTP not included).
         */
        @GetMapping("/stats")
        String stats() {
            StringBuilder b = new StringBuilder();
            String s;
            while ((s = stats.poll()) != null) {
                b.append(s).append('\n');
            }
            return b.toString();
        }

        /** A backend call that waits at a trap: 100-300 ms, or 1,200-1,500 ms when slow. */
        private static long backend(boolean slow) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long ms = slow ? r.nextLong(1_200, 1_501) : r.nextLong(100, 301);
            Curio.sleep(Duration.ofMillis(ms));
            return ms;
        }

        @GetMapping("/block")
        CompletableFuture<String> block(@RequestParam(defaultValue = "300") long ms) {
            return curio.submit("block", () -> {
                Thread.sleep(ms); // a blocking JDK call inside a task: holds or steps out of the kernel
                return "slept " + ms;
            });
        }

        @GetMapping("/policy")
        String policy() {
            Kernel k = curio.kernel();
            return k.carrierKind() + " " + k.blockingCalls();
        }
    }
}
