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
 * (newest first, as Curio's shutdown does). A kernel that ends any other way (its loop failed, its
 * main task ended without a stop) is never silently dead: it is closed, logged at ERROR with the
 * cause, and {@link #failure()} gives that cause to health checks.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class KernelThread implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KernelThread.class.getName());

    private final Kernel kernel;
    private final Thread thread;
    private final WaitBarrier stopBarrier = new WaitBarrier();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Task<?> main;
    private volatile boolean stopping;
    private volatile Throwable failure;

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
        Throwable cause;
        try {
            kernel.runSystem("kernel-main", () -> {
                main = Kernel.currentTask();
                started.complete(null);
                stopBarrier.suspend("KERNEL_SERVE");
                return null;
            });
            cause = stopping ? null : new IllegalStateException("the main task of kernel '" + kernel.name()
                    + "' ended although nobody stopped the kernel");
        } catch (Throwable e) {
            cause = e;
        }
        if (cause != null) {
            failure = cause;
            LOG.log(System.Logger.Level.ERROR, "kernel '" + kernel.name()
                    + "' died while serving; it is closed and accepts no more work", cause);
        }
        try {
            kernel.close();
        } catch (Throwable e) {
            if (cause == null) {
                cause = e;
            } else {
                cause.addSuppressed(e);
            }
        }
        if (cause == null) {
            finished.complete(null);
        } else {
            started.completeExceptionally(cause);
            finished.completeExceptionally(cause);
        }
    }

    /**
     * Why the kernel stopped serving without being stopped (its loop failed, or its main task
     * ended), or empty while it serves and after a normal {@link #stop}.
     */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Submits a top-level task; see {@link Kernel#submit}. Refused once stopping. */
    public <T> CompletableFuture<T> submit(String name, Callable<T> body) {
        if (failure != null) {
            throw new IllegalStateException("kernel '" + kernel.name() + "' died: " + failure, failure);
        }
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
            if (failure != null) {
                return List.of(); // already logged and closed when it died
            }
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
