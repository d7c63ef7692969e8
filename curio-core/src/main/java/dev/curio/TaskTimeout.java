package dev.curio;

/**
 * Raised at a blocking operation when the innermost timeout scope's deadline expired
 * (Curio's {@code TaskTimeout}). {@link #clock()} is the kernel clock when it expired; timeout
 * scopes compare it with their deadlines to decide which scope the timeout belongs to.
 */
public class TaskTimeout extends CancelledError {
    private final long clock;

    public TaskTimeout(long clock) {
        super("TaskTimeout at clock " + clock);
        this.clock = clock;
    }

    /** Kernel clock (nanoseconds) at which the timeout was delivered. */
    public long clock() {
        return clock;
    }
}
