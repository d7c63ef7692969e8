package dev.curio.spring.boot.web;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.TaskTimeout;
import dev.curio.kernel.Task;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.task.TaskGroup;
import dev.curio.workers.Workers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

/**
 * Request-scoped work for Spring MVC handlers: a task group that lives exactly as long as the
 * request. The handler returns the {@link DeferredResult}; the request's thread is released while
 * the work runs in the kernel.
 *
 * <pre>{@code
 * @GetMapping("/quote")
 * DeferredResult<Quote> quote(HttpServletRequest request) {
 *     return requests.run(request, Duration.ofSeconds(2), group -> {
 *         Task<Price> a = group.spawn(() -> priceFrom(a));
 *         Task<Price> b = group.spawn(() -> priceFrom(b));
 *         group.join();
 *         return Quote.best(a.result(), b.result());
 *     });
 * }
 * }</pre>
 *
 * The work's task, and with it every task of the group, is cancelled when:
 * <ul>
 *   <li>{@code timeout} elapses (a Curio timeout around the work: the response is
 *       503 Service Unavailable);</li>
 *   <li>the request ends before the work does: the container's async timeout
 *       ({@code spring.mvc.async.request-timeout}), an async error, or completion;</li>
 *   <li>the client disconnects, as far as the container tells: with a {@link DisconnectProbe},
 *       within about two probe intervals of the hang-up.</li>
 * </ul>
 *
 * <p>With {@code curio.max-tasks} set and the kernel at its bound, {@code run} throws
 * {@link dev.curio.spring.boot.KernelFullException}, answered 503 with {@code Retry-After} by
 * {@link KernelFullProblemAdvice}.
 *
 * <p>Thread-safety: stateless after construction; call from any handler thread.
 */
public class CurioRequests {

    private final CurioTasks tasks;

    public CurioRequests(CurioTasks tasks) {
        if (tasks == null) {
            throw new IllegalArgumentException("tasks must not be null");
        }
        this.tasks = tasks;
    }

    /** Runs {@code work} for this request, bounded by {@code timeout}; no disconnect probe. */
    public <T> DeferredResult<T> run(HttpServletRequest request, Duration timeout, RequestWork<T> work) {
        return start(request, null, timeout, null, work);
    }

    /** As {@link #run(HttpServletRequest, Duration, RequestWork)}, also probing for a client that hung up. */
    public <T> DeferredResult<T> run(HttpServletRequest request, HttpServletResponse response, Duration timeout,
            DisconnectProbe probe, RequestWork<T> work) {
        if (response == null) {
            throw new IllegalArgumentException("response must not be null");
        }
        if (probe == null) {
            throw new IllegalArgumentException("probe must not be null");
        }
        return start(request, response, timeout, probe, work);
    }

    private <T> DeferredResult<T> start(HttpServletRequest request, HttpServletResponse response, Duration timeout,
            DisconnectProbe probe, RequestWork<T> work) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (work == null) {
            throw new IllegalArgumentException("work must not be null");
        }
        String name = "http " + request.getMethod() + " " + request.getRequestURI();
        ResponseProbe writer = probe == null ? null : new ResponseProbe(request, response, probe.contentType());
        CompletableFuture<Task<?>> started = new CompletableFuture<>();
        CompletableFuture<T> future = tasks.submit(name, () -> {
            Task<?> self = Curio.currentTask();
            started.complete(self);
            Task<Void> watcher = writer == null ? null : Curio.spawnDaemon("client-probe", () -> {
                while (Workers.runInThread(writer::write)) {
                    Curio.sleep(probe.interval());
                }
                self.cancel(disconnected(name), false);
            });
            try {
                return Curio.timeoutAfter(timeout, () -> {
                    try (TaskGroup group = new TaskGroup()) {
                        T value = work.run(group);
                        group.join();
                        return value;
                    }
                });
            } finally {
                if (watcher != null) {
                    watcher.cancel();
                }
            }
        });
        DeferredResult<T> result = new DeferredResult<>();
        future.whenComplete((value, failure) -> {
            if (writer != null) {
                writer.stop(); // no probe write from here on: the container may write the body
            }
            if (failure == null) {
                result.setResult(value);
            } else {
                result.setErrorResult(translate(failure, name, timeout));
            }
        });
        // The first reason wins; the others find the task gone. An async error is an I/O error
        // on the connection, in practice the client's hang-up seen by a write.
        result.onTimeout(() -> cancel(started, future, new TaskCancelled("request timed out in the container: " + name)));
        result.onError(e -> cancel(started, future, isIo(e) ? disconnected(name)
                : new TaskCancelled("request failed: " + name + ": " + e)));
        result.onCompletion(() -> cancel(started, future, new TaskCancelled("request ended: " + name)));
        return result;
    }

    private static TaskCancelled disconnected(String name) {
        return new TaskCancelled("client disconnected: " + name);
    }

    /** Cancels the work's task with {@code reason}; before the task has started, through its future. */
    private void cancel(CompletableFuture<Task<?>> started, CompletableFuture<?> future, TaskCancelled reason) {
        Task<?> task = started.getNow(null);
        if (task == null) {
            future.cancel(true);
        } else if (!future.isDone()) {
            tasks.kernel().cancelTask(task.id(), reason);
        }
    }

    private static boolean isIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private static Object translate(Throwable failure, String name, Duration timeout) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof TaskTimeout) {
            return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                    name + " did not finish within " + timeout, e);
        }
        if (e instanceof CancelledError) {
            return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, name + " was cancelled", e);
        }
        return e;
    }
}
