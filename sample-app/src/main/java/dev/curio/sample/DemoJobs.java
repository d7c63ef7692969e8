package dev.curio.sample;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.task.TaskGroup;
import dev.curio.workers.Workers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Demo jobs to watch and cancel: each POST starts a task in the kernel bean and answers with its
 * id and name at once; the task table shows it running. While another task holds the kernel (a
 * {@code /demo/block}, say) the job cannot start: after {@code sample.job-start-timeout} (10 s
 * unless set) the answer is 202 with the name and no id, and the job starts once the kernel is
 * free (a line at INFO then gives its id).
 */
@RestController
@RequestMapping("/demo")
class DemoJobs {

    private static final Logger LOG = LoggerFactory.getLogger(DemoJobs.class);

    private final CurioTasks curio;
    private final Duration startTimeout;

    DemoJobs(CurioTasks curio, @Value("${sample.job-start-timeout:10s}") Duration startTimeout) {
        this.curio = curio;
        this.startTimeout = startTimeout;
    }

    /** The tutorial's countdown, one line a second. */
    @PostMapping("/countdown")
    ResponseEntity<Map<String, Object>> countdown(@RequestParam(defaultValue = "10") int from) throws Exception {
        if (from < 1 || from > 3600) {
            throw new IllegalArgumentException("from must be between 1 and 3600, was " + from);
        }
        return start("countdown", () -> {
            for (int n = from; n > 0; n--) {
                LOG.info("T-minus {}", n);
                Curio.sleep(1);
            }
            return "liftoff";
        });
    }

    /** The tutorial's kid with friends in a task group, playing until cancelled. */
    @PostMapping("/kid")
    ResponseEntity<Map<String, Object>> kid() throws Exception {
        return start("kid", () -> {
            LOG.info("Building the Millenium Falcon in Minecraft");
            try (TaskGroup friends = new TaskGroup()) {
                for (String name : new String[] {"Max", "Lillian", "Thomas"}) {
                    friends.spawn(name, () -> {
                        try {
                            Curio.sleep(Duration.ofHours(1));
                        } catch (CancelledError e) {
                            LOG.info("{} going home", name);
                            throw e;
                        }
                    });
                }
                friends.join();
            } catch (CancelledError e) {
                LOG.info("Fine. Saving my work.");
                throw e;
            }
            return null;
        });
    }

    /** fib(n) in a worker process: the kernel stays responsive meanwhile. */
    @PostMapping("/fib")
    ResponseEntity<Map<String, Object>> fib(@RequestParam(defaultValue = "35") int n) throws Exception {
        if (n < 0 || n > 45) {
            throw new IllegalArgumentException("n must be between 0 and 45, was " + n);
        }
        return start("fib", () -> {
            long r = (Long) Workers.runInProcess(Fib.class, "fib", n);
            LOG.info("fib({}) = {}", n, r);
            return r;
        });
    }

    /**
     * Blocks the whole kernel on purpose, with CPU-bound work: watch the long-block metric and the
     * health indicator. (A blocking JDK call such as {@code Thread.sleep} would not do it on the
     * kernel-owned carrier: the task steps out of the kernel while the JDK blocks it.)
     */
    @PostMapping("/block")
    ResponseEntity<Map<String, Object>> block(@RequestParam(defaultValue = "200") int ms) throws Exception {
        if (ms < 0 || ms > 10_000) {
            throw new IllegalArgumentException("ms must be between 0 and 10000, was " + ms);
        }
        return start("blocker", () -> {
            // the mistake this job demonstrates: CPU-bound work inside a task, which holds its kernel
            long until = System.nanoTime() + ms * 1_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return ms;
        });
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    private ResponseEntity<Map<String, Object>> start(String name, Callable<?> body) throws Exception {
        CompletableFuture<Long> id = new CompletableFuture<>();
        curio.submit(name, () -> {
            id.complete(Curio.currentTask().id());
            return body.call();
        }).whenComplete((v, e) -> {
            // Nobody waits for a job: its failure is reported here (the future is its only report).
            if (e != null && !(e instanceof CancelledError)) {
                LOG.error("job {} failed", name, e);
            }
        });
        try {
            return ResponseEntity.ok(Map.of("id", id.get(startTimeout.toNanos(), TimeUnit.NANOSECONDS), "name", name));
        } catch (TimeoutException e) {
            // Another task holds the kernel (a /demo/block, say): the job waits in its inbox. An
            // answer, not a server error.
            LOG.info("job {} not started within {} ms: another task holds the kernel; it starts once the kernel is free",
                    name, startTimeout.toMillis());
            id.thenAccept(started -> LOG.info("job {} started as task {}", name, started));
            return ResponseEntity.accepted().body(Map.of("name", name, "detail", "not started within "
                    + startTimeout.toMillis() + " ms: another task holds the kernel; the job starts once the kernel is free"));
        }
    }
}
