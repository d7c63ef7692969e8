package dev.curio.spring.boot.metrics;

import dev.curio.CancelledError;
import dev.curio.TaskTimeout;
import dev.curio.TimeoutCancellationError;
import dev.curio.kernel.Task;
import java.util.Locale;

/** How a task ended, as the {@code outcome} tag of {@code curio.tasks.terminated}. */
public enum TaskOutcome {
    /** Returned a value. */
    SUCCESS,
    /** Raised an exception other than a cancellation. */
    ERROR,
    /** Ended by a cancellation other than a timeout ({@code TaskCancelled} and the like). */
    CANCELLED,
    /** Ended by a timeout that escaped it ({@code TaskTimeout}, {@code TimeoutCancellationError}). */
    TIMEOUT;

    /** The tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of a terminated task. */
    public static TaskOutcome of(Task<?> task) {
        Throwable e = task.exception();
        if (e == null) {
            return SUCCESS;
        }
        if (e instanceof TaskTimeout || e instanceof TimeoutCancellationError) {
            return TIMEOUT;
        }
        return e instanceof CancelledError ? CANCELLED : ERROR;
    }
}
