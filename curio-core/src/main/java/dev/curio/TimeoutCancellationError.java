package dev.curio;

import dev.curio.time.Durations;

/**
 * Seen inside an inner timeout scope when an <em>outer</em> scope's deadline expired
 * (Curio's {@code TimeoutCancellationError}): the block is being cancelled by a timeout that is not
 * its own. It turns back into a {@link TaskTimeout} at the scope that expired.
 */
public class TimeoutCancellationError extends CancelledError {
    private final long clock;

    public TimeoutCancellationError(long clock) {
        super("cancelled by an enclosing timeout that expired at kernel clock " + Durations.seconds(clock) + " s");
        this.clock = clock;
    }

    /** Kernel clock (nanoseconds) at which the timeout was delivered. */
    public long clock() {
        return clock;
    }
}
