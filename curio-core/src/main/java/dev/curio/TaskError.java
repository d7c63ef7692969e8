package dev.curio;

/**
 * Raised by {@code Task.join()} when the task failed (Curio's {@code TaskError}); the task's own
 * exception is the {@linkplain #getCause() cause}.
 */
public class TaskError extends CurioError {
    public TaskError(String message, Throwable cause) {
        super(message, cause);
    }
}
