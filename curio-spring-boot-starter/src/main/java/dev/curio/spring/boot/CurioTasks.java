package dev.curio.spring.boot;

import dev.curio.CheckedRunnable;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.TaskDecorator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The door into the kernel for Spring code (controllers, schedulers, listeners): submits a
 * top-level task and returns a {@link CompletableFuture} that completes with the task's result or
 * exception, on a thread other than the kernel's. Cancelling the future cancels the task.
 *
 * <p>Admission ({@code curio.max-tasks}, off by default): with a bound, a task is refused with
 * {@link KernelFullException} when the kernel's live tasks (those its tasks spawned included, and
 * its own serving task) and the tasks admitted here that have not started yet reach the bound.
 * Tasks spawned inside the kernel are never refused; they count, so the bound sheds new work from
 * outside once they fill it. Under concurrent submissions the bound may be passed by the tasks
 * spawned meanwhile, never by the tasks admitted here.
 *
 * <p>Thread-safety: every method may be called from any thread; the counters are atomic.
 */
public class CurioTasks {

    private final CurioKernelLifecycle lifecycle;
    private final TaskDecorator decorator;
    private final int maxTasks;
    /** Tasks admitted here whose body has not started yet (they are not in the kernel's count). */
    private final AtomicInteger admitted = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    /** Without an admission bound. */
    public CurioTasks(CurioKernelLifecycle lifecycle, List<CurioTaskDecorator> decorators) {
        this(lifecycle, decorators, 0);
    }

    /**
     * @param maxTasks the bound on the kernel's live tasks beyond which submissions are refused;
     *        0 for none
     */
    public CurioTasks(CurioKernelLifecycle lifecycle, List<CurioTaskDecorator> decorators, int maxTasks) {
        if (lifecycle == null) {
            throw new IllegalArgumentException("lifecycle must not be null");
        }
        if (decorators == null) {
            throw new IllegalArgumentException("decorators must not be null");
        }
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasks must be >= 0 (0: no bound), was " + maxTasks);
        }
        this.lifecycle = lifecycle;
        this.decorator = CurioTaskDecorator.compose(decorators);
        this.maxTasks = maxTasks;
    }

    /**
     * Submits {@code body} as a task named {@code name} (null: the kernel's default name).
     *
     * @throws IllegalArgumentException if {@code body} is null
     * @throws IllegalStateException if the kernel has been stopped
     * @throws KernelFullException if the kernel has {@code curio.max-tasks} live tasks
     */
    public <T> CompletableFuture<T> submit(String name, Callable<T> body) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        Callable<T> task = decorator == null ? body : decorator.decorate(body);
        if (maxTasks == 0) {
            return lifecycle.submit(name, task);
        }
        admit(name);
        AtomicBoolean waiting = new AtomicBoolean(true);
        Runnable started = () -> {
            if (waiting.getAndSet(false)) {
                admitted.decrementAndGet(); // from now on the kernel counts it
            }
        };
        CompletableFuture<T> future;
        try {
            future = lifecycle.submit(name, () -> {
                started.run();
                return task.call();
            });
        } catch (RuntimeException e) {
            started.run();
            throw e;
        }
        future.whenComplete((v, e) -> started.run()); // ended before it started: cancelled, or the kernel stopped
        return future;
    }

    private void admit(String name) {
        Kernel kernel = lifecycle.kernel();
        while (true) {
            int waiting = admitted.get();
            int live = kernel.taskCount() + waiting;
            if (live >= maxTasks) {
                refused.increment();
                throw new KernelFullException(kernel.name(), name, live, maxTasks);
            }
            if (admitted.compareAndSet(waiting, waiting + 1)) {
                return;
            }
        }
    }

    /** The admission bound, {@code curio.max-tasks}; 0 when there is none. */
    public int maxTasks() {
        return maxTasks;
    }

    /** Submissions refused so far for the bound ({@link KernelFullException}). */
    public long refused() {
        return refused.sum();
    }

    /** Submits {@code body} as a task with the kernel's default name. */
    public <T> CompletableFuture<T> submit(Callable<T> body) {
        return submit(null, body);
    }

    /** Submits a task that returns nothing; the future completes with null. */
    public CompletableFuture<Void> run(String name, CheckedRunnable body) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        return submit(name, () -> {
            body.run();
            return null;
        });
    }

    /** The kernel the tasks run on. */
    public Kernel kernel() {
        return lifecycle.kernel();
    }
}
