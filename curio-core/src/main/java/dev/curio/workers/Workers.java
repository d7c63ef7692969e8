package dev.curio.workers;

import dev.curio.AsyncOnlyError;
import dev.curio.Block;
import dev.curio.kernel.Kernel;
import dev.curio.sync.Futures;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Blocking and CPU-bound work off the kernel (Curio's {@code curio.workers}): the calling task
 * waits (state {@code FUTURE_WAIT}) while a worker thread or process does the work, and other tasks
 * keep running. The work's exception reaches the caller unchanged, checked or not.
 *
 * <p>On cancellation the caller gets its cancellation at once. Work that had not started never
 * runs; a thread already running it finishes as a zombie, whose result is dropped or, given a
 * {@code callOnCancel} (Curio's {@code call_on_cancel}), handed to it; a process running it is
 * terminated and replaced.
 */
public final class Workers {

    private static final System.Logger LOG = System.getLogger(Workers.class.getName());

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
        return awaitUnchanged(pool.submit(() -> call(work)));
    }

    /**
     * Runs {@code work} on the kernel's worker thread pool; if the caller is cancelled while the
     * work runs, the zombie's outcome (a value, say an open resource, or its exception) is handed
     * to {@code callOnCancel} in the worker thread when the work ends, instead of being dropped
     * (Curio's {@code call_on_cancel}). It is not called if the work never started, nor when the
     * caller got the outcome.
     */
    public static <T, E extends Exception> T runInThread(Block<T, E> work,
            BiConsumer<? super T, ? super Throwable> callOnCancel) throws E {
        return runInThread(threadPool(kernel("runInThread")), work, callOnCancel);
    }

    /** {@link #runInThread(Block, BiConsumer)} on {@code pool}. */
    public static <T, E extends Exception> T runInThread(ThreadWorkers pool, Block<T, E> work,
            BiConsumer<? super T, ? super Throwable> callOnCancel) throws E {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(callOnCancel, "callOnCancel");
        kernel("runInThread");
        // The caller's cancellation cancels reply; whichever of it and the work's end comes first
        // decides who gets the outcome: the caller through reply, or callOnCancel.
        CompletableFuture<T> reply = new CompletableFuture<>();
        pool.submit(() -> {
            if (reply.isDone()) {
                return null; // the caller gave up before the work started: it never runs
            }
            T value = null;
            Throwable failure = null;
            try {
                value = call(work);
            } catch (Throwable t) {
                failure = t;
            }
            if (!(failure == null ? reply.complete(value) : reply.completeExceptionally(failure))) {
                handToZombieCallback(callOnCancel, value, failure);
            }
            return null;
        });
        return awaitUnchanged(reply);
    }

    private static <T> void handToZombieCallback(BiConsumer<? super T, ? super Throwable> callOnCancel, T value,
            Throwable failure) {
        try {
            callOnCancel.accept(value, failure);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "runInThread: callOnCancel failed", t);
        }
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

    /** {@link #blockInThread(Object, Block)} with Curio's {@code call_on_cancel}, see {@link #runInThread(Block, BiConsumer)}. */
    public static <T, E extends Exception> T blockInThread(Object key, Block<T, E> work,
            BiConsumer<? super T, ? super Throwable> callOnCancel) throws E {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(callOnCancel, "callOnCancel");
        Kernel k = kernel("blockInThread");
        KeyedGate gate = k.attachment(KeyedGate.class, KeyedGate::new);
        gate.enter(key);
        try {
            return runInThread(work, callOnCancel);
        } finally {
            gate.exit(key);
        }
    }

    /** Runs {@code work} on any executor (Curio's {@code run_in_executor}). */
    public static <T, E extends Exception> T runInExecutor(Executor executor, Block<T, E> work) throws E {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(work, "work");
        kernel("runInExecutor");
        return awaitUnchanged(CompletableFuture.supplyAsync(() -> call(work), executor));
    }

    // ---- processes ----

    /** The worker process pool of {@code kernel}, created on first use and closed with the kernel. */
    public static ProcessWorkers processPool(Kernel kernel) {
        return kernel.attachment(ProcessWorkers.class, () -> {
            ProcessWorkers p = new ProcessWorkers(Runtime.getRuntime().availableProcessors());
            kernel.onShutdown(p::close);
            return p;
        });
    }

    /** Gives {@code kernel} this worker process pool; call before its first use. Not closed by the kernel. */
    public static void useProcessPool(Kernel kernel, ProcessWorkers pool) {
        Objects.requireNonNull(pool, "pool");
        if (kernel.attach(ProcessWorkers.class, pool) != pool) {
            throw new IllegalStateException("kernel " + kernel.name() + " already has a worker process pool");
        }
    }

    /**
     * Runs {@code work} in a worker process of the kernel's pool and returns its result. The work
     * and its result travel serialized over the worker's pipe. If the caller is cancelled, the
     * worker is terminated (SIGTERM, then killed after a grace period) and replaced. A worker that
     * crashes, exits or sends garbage raises {@link WorkerProcessError}; an exception thrown by the
     * work is rethrown unchanged.
     */
    public static <T> T runInProcess(SerializableCallable<T> work) {
        return runInProcess(processPool(kernel("runInProcess")), work);
    }

    /** Runs {@code work} in a worker process of {@code pool}. */
    @SuppressWarnings("unchecked")
    public static <T> T runInProcess(ProcessWorkers pool, SerializableCallable<T> work) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(work, "work");
        kernel("runInProcess");
        CompletableFuture<ProcessWorker> reserved = pool.acquire();
        ProcessWorker worker;
        try {
            worker = awaitUnchanged(reserved);
        } catch (Throwable t) {
            if (reserved.isDone() && !reserved.isCompletedExceptionally()) {
                pool.release(reserved.join()); // assigned just as the caller gave up
            }
            throw t;
        }
        boolean healthy = false;
        try {
            CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> worker.call(work))
                    .thenCompose(f -> f);
            Object value;
            try {
                value = awaitUnchanged(reply);
            } catch (ProcessWorker.RemoteFailure e) {
                healthy = true;
                throw sneaky(inCaller(e.getCause(), worker.pid()));
            }
            healthy = true;
            return (T) value;
        } finally {
            if (healthy) {
                pool.release(worker);
            } else {
                pool.discard(worker);
            }
        }
    }

    /**
     * The work's exception as the caller meets it (Curio keeps the caller's traceback and chains
     * the child's as the cause): its stack becomes the caller's, from the {@code runInProcess}
     * call outwards, and a {@link RemoteTraceback} with the worker's frames becomes its cause.
     */
    private static Throwable inCaller(Throwable remote, long pid) {
        RemoteTraceback worker = new RemoteTraceback("thrown in worker process " + pid + ": " + remote,
                remote.getStackTrace());
        StackTraceElement[] here = new Throwable().getStackTrace();
        int from = 0;
        while (from < here.length && here[from].getClassName().equals(Workers.class.getName())
                && !here[from].getMethodName().equals("runInProcess")) {
            from++;
        }
        remote.setStackTrace(java.util.Arrays.copyOfRange(here, from, here.length));
        try {
            remote.initCause(worker);
        } catch (IllegalStateException | IllegalArgumentException alreadySet) {
            remote.addSuppressed(worker);
        }
        return remote;
    }

    /**
     * Runs the static method {@code method} of {@code type} in a worker process with {@code args}
     * (Curio's "function and arguments" form).
     */
    public static Object runInProcess(Class<?> type, String method, java.io.Serializable... args) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(method, "method");
        String className = type.getName();
        Object[] argv = args == null ? new Object[0] : args.clone();
        return runInProcess(new StaticCall(className, method, argv));
    }

    /** A static method call by name, resolved in the worker. */
    record StaticCall(String className, String method, Object[] args) implements SerializableCallable<Object> {
        @Override
        public Object call() throws Exception {
            Class<?> c = Class.forName(className);
            for (java.lang.reflect.Method m : c.getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length
                        && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                    try {
                        return m.invoke(null, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw sneaky(e.getCause());
                    } catch (IllegalArgumentException e) {
                        continue; // another overload may fit
                    }
                }
            }
            throw new NoSuchMethodException("no public static " + className + "." + method + " taking "
                    + args.length + " argument(s) that fit");
        }
    }

    // ---- futures ----

    /**
     * Waits for a plain {@link Future} that is not a {@link CompletionStage} by blocking a worker
     * thread on it; its failure is rethrown unchanged. (A {@code CompletionStage} is awaited as a
     * trap with {@link dev.curio.sync.Futures#await}.)
     */
    @SuppressWarnings("unchecked")
    public static <T> T awaitFuture(Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future instanceof CompletionStage<?> stage) {
            return awaitUnchanged(((CompletionStage<T>) stage).toCompletableFuture());
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

    /** Waits as a trap (completion wins over a racing cancellation) and rethrows the failure unchanged. */
    static <T> T awaitUnchanged(CompletableFuture<T> cf) {
        Futures.awaitHandOff(cf, null);
        try {
            return cf.join();
        } catch (CompletionException e) {
            throw sneaky(unwrap(e));
        }
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
