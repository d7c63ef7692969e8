package dev.curio.spring.boot;

import dev.curio.CheckedRunnable;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.TaskDecorator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The door into the kernel for Spring code (controllers, schedulers, listeners): submits a
 * top-level task and returns a {@link CompletableFuture} that completes with the task's result or
 * exception, on a thread other than the kernel's. Cancelling the future cancels the task.
 *
 * <p>Thread-safety: stateless after construction; every method may be called from any thread.
 */
public class CurioTasks {

    private final CurioKernelLifecycle lifecycle;
    private final TaskDecorator decorator;

    public CurioTasks(CurioKernelLifecycle lifecycle, List<CurioTaskDecorator> decorators) {
        if (lifecycle == null) {
            throw new IllegalArgumentException("lifecycle must not be null");
        }
        if (decorators == null) {
            throw new IllegalArgumentException("decorators must not be null");
        }
        this.lifecycle = lifecycle;
        this.decorator = CurioTaskDecorator.compose(decorators);
    }

    /**
     * Submits {@code body} as a task named {@code name} (null: the kernel's default name).
     *
     * @throws IllegalArgumentException if {@code body} is null
     * @throws IllegalStateException if the kernel has been stopped
     */
    public <T> CompletableFuture<T> submit(String name, Callable<T> body) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        return lifecycle.submit(name, decorator == null ? body : decorator.decorate(body));
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
