package dev.curio.workers;

import dev.curio.AsyncOnlyError;
import dev.curio.Block;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Trap;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Blocking and CPU-bound work off the kernel (Curio's {@code curio.workers}): the calling task
 * waits (state {@code FUTURE_WAIT}) while a worker thread or process does the work, and other tasks
 * keep running. The work's exception reaches the caller unchanged, checked or not.
 *
 * <p>On cancellation the caller gets its cancellation at once. Work that had not started never
 * runs; a thread already running it finishes as a zombie (its result is dropped); a process
 * running it is terminated and replaced.
 */
public final class Workers {

    private static volatile int defaultMaxThreads = ThreadWorkers.DEFAULT_MAX_THREADS;

    private Workers() {}

    /** Maximum worker threads of pools created from now on (Curio's {@code MAX_WORKER_THREADS}). */
    public static void setDefaultMaxThreads(int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be >= 1, was " + maxThreads);
        }
        defaultMaxThreads = maxThreads;
    }

    /** The worker thread pool of {@code kernel}, created on first use and closed with the kernel. */
    public static ThreadWorkers threadPool(Kernel kernel) {
        return kernel.attachment(ThreadWorkers.class, () -> {
            ThreadWorkers p = new ThreadWorkers("curio-" + kernel.name() + "-worker", defaultMaxThreads);
            kernel.onShutdown(p::close);
            return p;
        });
    }

    /**
     * Gives {@code kernel} this worker thread pool instead of the default one; must be called before
     * the kernel first uses a pool. The pool is not closed by the kernel.
     */
    public static void useThreadPool(Kernel kernel, ThreadWorkers pool) {
        Objects.requireNonNull(pool, "pool");
        if (kernel.attach(ThreadWorkers.class, pool) != pool) {
            throw new IllegalStateException("kernel " + kernel.name() + " already has a worker thread pool");
        }
    }

    // ---- threads ----

    /** Runs {@code work} on the kernel's worker thread pool and returns its result. */
    public static <T, E extends Exception> T runInThread(Block<T, E> work) throws E {
        return runInThread(threadPool(kernel("runInThread")), work);
    }

    /** Runs {@code work} on {@code pool}. */
    public static <T, E extends Exception> T runInThread(ThreadWorkers pool, Block<T, E> work) throws E {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(work, "work");
        kernel("runInThread");
        return awaitFuture(pool.submit(() -> call(work)));
    }

    /**
     * Runs {@code work} in a thread, expecting it to block for a long, unknown time (a foreign
     * queue, a lock): however many tasks wait on the same {@code work} object at once, at most one
     * worker thread is used for it; the others wait their turn in the kernel.
     */
    public static <T, E extends Exception> T blockInThread(Block<T, E> work) throws E {
        return blockInThread(work, work);
    }

    /**
     * As {@link #blockInThread(Block)}, with an explicit key: calls with equal keys share one thread.
     * Use it with method references, which are new objects at each evaluation.
     */
    public static <T, E extends Exception> T blockInThread(Object key, Block<T, E> work) throws E {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(work, "work");
        Kernel k = kernel("blockInThread");
        KeyedGate gate = k.attachment(KeyedGate.class, KeyedGate::new);
        gate.enter(key);
        try {
            return runInThread(work);
        } finally {
            gate.exit(key);
        }
    }

    /** Runs {@code work} on any executor (Curio's {@code run_in_executor}). */
    public static <T, E extends Exception> T runInExecutor(Executor executor, Block<T, E> work) throws E {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(work, "work");
        kernel("runInExecutor");
        return awaitFuture(CompletableFuture.supplyAsync(() -> call(work), executor));
    }

    // ---- futures ----

    /**
     * Waits for {@code future} as a trap (state {@code FUTURE_WAIT}) and returns its value; its
     * failure is rethrown unchanged. Cancelling the waiting task cancels the future.
     */
    public static <T> T awaitFuture(CompletionStage<T> future) {
        Objects.requireNonNull(future, "future");
        @SuppressWarnings("unchecked")
        CompletableFuture<T> cf = (CompletableFuture<T>) Kernel.trap(new Trap.FutureWait(future));
        try {
            return cf.join();
        } catch (CompletionException e) {
            throw sneaky(unwrap(e));
        }
    }

    /** {@link #awaitFuture(CompletionStage)} for the common case (resolves the overload). */
    public static <T> T awaitFuture(CompletableFuture<T> future) {
        return awaitFuture((CompletionStage<T>) future);
    }

    /**
     * Waits for a plain {@link Future}: a {@link CompletionStage} is awaited as a trap, anything else
     * by blocking a worker thread on it.
     */
    @SuppressWarnings("unchecked")
    public static <T> T awaitFuture(Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future instanceof CompletionStage<?> stage) {
            return awaitFuture((CompletionStage<T>) stage);
        }
        return runInThread(() -> {
            try {
                return future.get();
            } catch (ExecutionException e) {
                throw sneaky(e.getCause());
            } catch (InterruptedException e) {
                throw new CancellationException("interrupted while waiting for " + future);
            }
        });
    }

    // ---- helpers ----

    static Kernel kernel(String what) {
        Kernel k = Kernel.current();
        if (k == null) {
            throw new AsyncOnlyError(what + " must be called from a Curio task");
        }
        return k;
    }

    static <T> T call(Block<T, ?> work) {
        try {
            return work.call();
        } catch (Exception e) {
            throw sneaky(e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @SuppressWarnings("unchecked")
    static <X extends Throwable> RuntimeException sneaky(Throwable t) throws X {
        throw (X) t;
    }
}
