package dev.curio;

/** Raised in a task at a blocking operation after {@code Task.cancel()} (Curio's {@code TaskCancelled}). */
public class TaskCancelled extends CancelledError {
    public TaskCancelled() {
        super("TaskCancelled");
    }

    public TaskCancelled(String reason) {
        super(reason);
    }
}
