package dev.curio.workers;

import dev.curio.AsyncOnlyError;
import dev.curio.Block;
import dev.curio.CancelledError;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.WaitBarrier;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A plain platform thread that can use its kernel (Curio's async threads): inside it,
 * {@link #AWAIT} runs a kernel operation (a queue get, a lock, a sleep) as if a task had called it.
 * Each async thread is backed by a task of the kernel, which runs the thread's requests one at a
 * time; joining, cancelling or inspecting the async thread acts on that task. A cancellation
 * reaches the thread at its current or next {@code AWAIT}.
 *
 * <p>Thread-safety: the request queue is the only state shared between the thread and the kernel;
 * the backing task is woken through {@link Kernel#post}.
 */
public final class AsyncThread<T> {

    private static final ThreadLocal<AsyncThread<?>> CURRENT = new ThreadLocal<>();

    /** One kernel operation requested by the thread. */
    private record Request(Block<?, ?> op, CompletableFuture<Object> reply) {}

    private final Kernel kernel;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final WaitBarrier waiting = new WaitBarrier();
    private final CompletableFuture<T> done = new CompletableFuture<>();
    private volatile Task<T> task;
    /** A cancellation delivered while the thread was not in AWAIT; taken by exactly one side. */
    private final java.util.concurrent.atomic.AtomicReference<Throwable> pendingCancel =
            new java.util.concurrent.atomic.AtomicReference<>();

    private AsyncThread(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Starts {@code fn} in a new async thread of the calling task's kernel (Curio's {@code spawn_thread}). */
    public static <T> AsyncThread<T> spawnThread(Callable<T> fn) {
        return spawnThread(null, fn, false);
    }

    public static <T> AsyncThread<T> spawnThread(String name, Callable<T> fn, boolean daemon) {
        Objects.requireNonNull(fn, "fn");
        Kernel k = Workers.kernel("spawnThread");
        AsyncThread<T> at = new AsyncThread<>(k);
        at.task = k.spawn(name, () -> at.serve(fn, name), daemon);
        return at;
    }

    /**
     * Runs {@code op} on the calling async thread's kernel, in its backing task, and returns its
     * result; its exception (a cancellation too) is rethrown here.
     *
     * @throws AsyncOnlyError if the calling thread is not an async thread
     */
    @SuppressWarnings("unchecked")
    public static <R, E extends Exception> R AWAIT(Block<R, E> op) throws E {
        Objects.requireNonNull(op, "op");
        AsyncThread<?> at = CURRENT.get();
        if (at == null) {
            throw new AsyncOnlyError("AWAIT must be called from an async thread (see AsyncThread.spawnThread)");
        }
        Throwable pending = at.pendingCancel.getAndSet(null);
        if (pending != null) {
            throw Workers.<RuntimeException>sneaky(pending);
        }
        Request r = new Request(op, new CompletableFuture<>());
        at.requests.add(r);
        at.kernel.post(at::wakeServer);
        try {
            return (R) r.reply.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw Workers.<RuntimeException>sneaky(e.getCause());
        }
    }

    private void wakeServer() {
        Task<T> t = task;
        if (t != null && !t.terminated()) {
            kernel.wakeWaiter(t, waiting, null);
        }
    }

    /** The backing task: starts the thread, then serves its requests until it finishes. */
    private T serve(Callable<T> fn, String name) throws Exception {
        Thread.ofPlatform().daemon(true).name(name != null ? name : "curio-async-thread").start(() -> {
            CURRENT.set(this);
            try {
                done.complete(fn.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            } finally {
                CURRENT.remove();
                kernel.post(this::wakeServer);
            }
        });
        while (true) {
            Request r;
            while ((r = requests.poll()) != null) {
                // A request that raced with a cancellation (the thread read no pending one yet)
                // gets it here instead of running.
                Throwable pending = pendingCancel.getAndSet(null);
                if (pending != null) {
                    r.reply.completeExceptionally(pending);
                    continue;
                }
                try {
                    r.reply.complete(r.op.call());
                } catch (Throwable e) {
                    r.reply.completeExceptionally(e);
                }
            }
            if (done.isDone()) {
                try {
                    return done.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw Workers.<Exception>sneaky(e.getCause());
                }
            }
            try {
                waiting.suspend("ASYNC_THREAD_WAIT");
            } catch (CancelledError e) {
                // The thread is not inside AWAIT: deliver the cancellation at its next AWAIT, and keep
                // serving until it finishes (as Curio's async thread does).
                pendingCancel.set(e);
            }
        }
    }

    // ---- the Task-like view ----

    /** The backing task (for task groups and the task table). */
    public Task<T> task() {
        return task;
    }

    public long id() {
        return task.id();
    }

    public T join() {
        return task.join();
    }

    public void await() {
        task.await();
    }

    public void cancel() {
        task.cancel();
    }

    public void cancel(boolean blocking) {
        task.cancel(blocking);
    }

    public T result() {
        return task.result();
    }

    public Throwable exception() {
        return task.exception();
    }

    public boolean terminated() {
        return task.terminated();
    }

    public boolean cancelled() {
        return task.cancelled();
    }

    @Override
    public String toString() {
        return "AsyncThread(" + task + ")";
    }
}
