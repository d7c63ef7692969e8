package dev.curio.kernel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A kernel that runs on a platform thread of its own until stopped: the shape a server or a
 * Spring application needs, where work arrives from other threads through {@link #submit}.
 * The kernel's main task just waits for {@link #stop}; on stop, every remaining task is cancelled
 * (newest first, as Curio's shutdown does).
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class KernelThread implements AutoCloseable {

    private final Kernel kernel;
    private final Thread thread;
    private final WaitBarrier stopBarrier = new WaitBarrier();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Task<?> main;
    private volatile boolean stopping;

    private KernelThread(Kernel kernel) {
        this.kernel = kernel;
        this.thread = Thread.ofPlatform().name("curio-" + kernel.name()).daemon(true).unstarted(this::serve);
    }

    /** Starts {@code kernel} on a new platform thread; returns once its main task runs. */
    public static KernelThread start(Kernel kernel) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        KernelThread kt = new KernelThread(kernel);
        kt.thread.start();
        kt.started.join();
        return kt;
    }

    private void serve() {
        try {
            kernel.runSystem("kernel-main", () -> {
                main = Kernel.currentTask();
                started.complete(null);
                stopBarrier.suspend("KERNEL_SERVE");
                return null;
            });
            kernel.close();
            finished.complete(null);
        } catch (Throwable e) {
            started.completeExceptionally(e);
            finished.completeExceptionally(e);
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Submits a top-level task; see {@link Kernel#submit}. Refused once stopping. */
    public <T> CompletableFuture<T> submit(String name, Callable<T> body) {
        if (stopping) {
            throw new IllegalStateException("kernel '" + kernel.name() + "' is stopping; it accepts no work");
        }
        return kernel.submit(name, body);
    }

    /**
     * Stops accepting work, cancels every remaining task and waits up to {@code timeout} for them
     * to finish. Returns the tasks still alive when the time ran out (empty when all finished); the
     * kernel thread keeps trying to finish them in the background.
     */
    public List<Task<?>> stop(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
        }
        stopping = true;
        kernel.post(() -> {
            Task<?> m = main;
            if (m != null && !m.terminated()) {
                kernel.wakeWaiter(m, stopBarrier, null);
            }
        });
        try {
            finished.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return List.of();
        } catch (java.util.concurrent.TimeoutException e) {
            return userTasks();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return userTasks();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("kernel '" + kernel.name() + "' failed", e.getCause());
        }
    }

    private List<Task<?>> userTasks() {
        return kernel.tasksSnapshot().stream().filter(t -> !t.system()).toList();
    }

    /** Whether the kernel thread has finished (after {@link #stop}). */
    public boolean isFinished() {
        return finished.isDone();
    }

    /** Stops with a 10 second bound. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
