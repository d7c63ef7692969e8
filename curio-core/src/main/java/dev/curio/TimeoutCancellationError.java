package dev.curio;

/**
 * Seen inside an inner timeout scope when an <em>outer</em> scope's deadline expired
 * (Curio's {@code TimeoutCancellationError}): the block is being cancelled by a timeout that is not
 * its own. It turns back into a {@link TaskTimeout} at the scope that expired.
 */
public class TimeoutCancellationError extends CancelledError {
    private final long clock;

    public TimeoutCancellationError(long clock) {
        super("TimeoutCancellationError at clock " + clock);
        this.clock = clock;
    }

    /** Kernel clock (nanoseconds) at which the timeout was delivered. */
    public long clock() {
        return clock;
    }
}
