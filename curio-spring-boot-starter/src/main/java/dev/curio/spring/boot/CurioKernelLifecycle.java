package dev.curio.spring.boot;

import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.Task;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the kernel bean on a platform thread of its own for the life of the application context
 * ({@link KernelThread}), and stops it gracefully: no new work, the remaining tasks cancelled,
 * a wait bounded by {@code curio.shutdown-timeout}, then a log line naming every task that did
 * not finish, with its state.
 *
 * <p>The order of the stop: first the application's top-level tasks (those whose parent is gone:
 * a server, a job, a request's work) are cancelled together, so that each ends its own children its
 * own way (a server cancels its clients' group, and each client gets the goodbye its handler
 * writes when cancelled, as in Curio's tutorial); then, once they have ended, the kernel's
 * shutdown cancels whatever is left (a task a top-level task left running), newest first, in the
 * time that remains. The kernel's shutdown alone cancels newest first, which reaches a server's
 * clients (and their readers and writers) before the server itself, so no client heard the goodbye.
 *
 * <p>Its phase is below the web server's (SPRING-BOOT-4.md §4), so the kernel starts before the
 * server takes requests and stops only after the server has drained them.
 *
 * <p>Thread-safety: every method may be called from any thread. States go NEW → RUNNING →
 * STOPPED, once; work submitted while NEW waits in the kernel's inbox and starts with it.
 */
public class CurioKernelLifecycle implements SmartLifecycle, AutoCloseable {

    /** Below WebServerStartStopLifecycle (MAX-2048) and the graceful-shutdown phase (MAX-1024). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log LOG = LogFactory.getLog(CurioKernelLifecycle.class);

    /** The name of the task that cancels the top-level tasks when the kernel stops. */
    static final String STOPPER = "curio-stop";

    private enum State { NEW, RUNNING, STOPPED }

    private final Kernel kernel;
    private final Duration shutdownTimeout;
    private final Object lock = new Object();
    private State state = State.NEW;
    private KernelThread thread;
    private volatile List<Task<?>> unfinished = List.of();

    public CurioKernelLifecycle(Kernel kernel, Duration shutdownTimeout) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must be >= 0, was " + shutdownTimeout);
        }
        this.kernel = kernel;
        this.shutdownTimeout = shutdownTimeout;
    }

    public Kernel kernel() {
        return kernel;
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (state == State.NEW) {
                thread = KernelThread.start(kernel);
                state = State.RUNNING;
                LOG.debug("Curio kernel '" + kernel.name() + "' started (carrier " + kernel.carrierKind() + ")");
            }
        }
    }

    /** Spring's asynchronous stop: the bounded wait runs on its own thread, then {@code callback}. */
    @Override
    public void stop(Runnable callback) {
        Thread.ofPlatform().name("curio-" + kernel.name() + "-stop").start(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public void stop() {
        KernelThread t;
        synchronized (lock) {
            if (state != State.RUNNING) {
                state = State.STOPPED;
                return;
            }
            state = State.STOPPED;
            t = thread;
        }
        long start = System.nanoTime();
        cancelTopLevelTasks(t, shutdownTimeout);
        Duration rest = shutdownTimeout.minusNanos(System.nanoTime() - start);
        // the kernel's own system tasks are not reported, nor is the starter's own stopping task
        List<Task<?>> left = t.stop(rest.isNegative() ? Duration.ZERO : rest).stream()
                .filter(task -> !(task.name().equals(STOPPER) && task.parentId().isEmpty())).toList();
        unfinished = List.copyOf(left);
        if (left.isEmpty()) {
            LOG.debug("Curio kernel '" + kernel.name() + "' stopped; every task finished");
        } else {
            LOG.warn("Curio kernel '" + kernel.name() + "': " + left.size() + " task(s) still running "
                    + shutdownTimeout.toMillis() + " ms after cancellation (curio.shutdown-timeout): "
                    + left.stream().map(CurioKernelLifecycle::describe).collect(Collectors.joining(", ")));
        }
    }

    /**
     * Cancels the top-level tasks (alive, not the kernel's own, whose parent is not alive) with
     * {@link TaskCancelled}, as the kernel's shutdown does, all at once, and waits up to
     * {@code bound} for them to end. A task of the kernel ({@value #STOPPER}) does it; the
     * kernel's shutdown ends it if they have not ended by then.
     */
    private static void cancelTopLevelTasks(KernelThread t, Duration bound) {
        CompletableFuture<Void> ended;
        try {
            ended = t.submit(STOPPER, () -> {
                Task<?> me = Curio.currentTask();
                List<Task<?>> all = me.kernel().tasks();
                Set<Long> alive = all.stream().map(Task::id).collect(Collectors.toSet());
                List<Task<?>> top = all.stream().filter(task -> task != me && !task.system() && !task.terminated()
                        && (task.parentId().isEmpty() || !alive.contains(task.parentId().getAsLong()))).toList();
                for (Task<?> task : top) {
                    task.cancel(new TaskCancelled(), false);
                }
                for (Task<?> task : top) {
                    task.await();
                }
                return null;
            });
        } catch (IllegalStateException e) {
            return; // the kernel is already stopping
        }
        try {
            ended.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // not all ended in time (the kernel's shutdown cancels what is left), or the kernel died
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Task<?> task) {
        return task.name() + " [id " + task.id() + ", " + task.state() + "]";
    }

    /**
     * The destroy-method backstop, should the context be torn down without a lifecycle stop; it
     * also closes the kernel. A started kernel is closed by its own thread once its last task
     * ends, which may be after this returns (a task still holding it past the shutdown wait): the
     * kernel is not closed from here then, as its loop still runs on that thread.
     */
    @Override
    public void close() {
        stop();
        boolean neverStarted;
        synchronized (lock) {
            neverStarted = thread == null;
        }
        if (neverStarted) {
            kernel.close();
        }
    }

    /**
     * Why the kernel died while serving (its loop failed or its main task ended without a stop),
     * as {@link KernelThread#failure()}; empty while it serves, before start and after a normal stop.
     */
    public java.util.Optional<Throwable> failure() {
        KernelThread t;
        synchronized (lock) {
            t = thread;
        }
        return t == null ? java.util.Optional.empty() : t.failure();
    }

    @Override
    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * A stopped kernel cannot run again (its tasks were cancelled), so this bean must not be
     * paused and resumed, as Spring Framework 7 does with cached test contexts: it keeps running
     * until the context closes.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** The tasks that were still alive when the last stop's wait ran out (empty after a clean stop). */
    public List<Task<?>> unfinishedAtStop() {
        return unfinished;
    }

    /**
     * Submits a top-level task. Before {@link #start} the task waits in the kernel's inbox; after
     * {@link #stop} it is refused.
     *
     * @throws IllegalStateException once the kernel is stopping or stopped
     */
    public <T> CompletableFuture<T> submit(String name, Callable<T> body) {
        synchronized (lock) {
            return switch (state) {
                case NEW -> kernel.submit(name, body);
                case RUNNING -> thread.submit(name, body);
                case STOPPED -> throw new IllegalStateException(
                        "Curio kernel '" + kernel.name() + "' is stopped; it accepts no work");
            };
        }
    }
}
