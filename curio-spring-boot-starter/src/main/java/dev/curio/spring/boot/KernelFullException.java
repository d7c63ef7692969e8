package dev.curio.spring.boot;

import java.util.concurrent.RejectedExecutionException;

/**
 * {@link CurioTasks} refused a task: its kernel has {@code curio.max-tasks} live tasks already
 * (load shedding: the caller may retry later). In a web application it is answered 503 Service
 * Unavailable with {@code Retry-After} ({@code KernelFullProblemAdvice}), from a controller that
 * submits the task itself or through {@code CurioRequests}. Counted in {@code curio.tasks.refused}.
 */
public class KernelFullException extends RejectedExecutionException {

    private final String kernel;
    private final int maxTasks;

    public KernelFullException(String kernel, String task, int live, int maxTasks) {
        super("kernel '" + kernel + "' has " + live + " live tasks, its bound (curio.max-tasks=" + maxTasks
                + "): refused " + (task == null ? "a task" : "task '" + task + "'"));
        this.kernel = kernel;
        this.maxTasks = maxTasks;
    }

    /** The name of the kernel that refused. */
    public String kernel() {
        return kernel;
    }

    /** Its bound, {@code curio.max-tasks}. */
    public int maxTasks() {
        return maxTasks;
    }
}
