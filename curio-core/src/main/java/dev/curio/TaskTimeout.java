package dev.curio;

import dev.curio.time.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * Raised at a blocking operation when the innermost timeout scope's deadline expired
 * (Curio's {@code TaskTimeout}). {@link #clock()} is the kernel clock when it expired; timeout
 * scopes compare it with their deadlines to decide which scope the timeout belongs to. The one a
 * scope lets out names the scope's timeout ("timed out after 2.5 s", see {@link #timeout()}).
 */
public class TaskTimeout extends CancelledError {
    private final long clock;
    // Set by the scope the timeout belongs to as it leaves it, in the task's own thread.
    private Duration timeout;
    private String scopeMessage;

    /** A timeout delivered at kernel clock {@code clock} (nanoseconds), before any scope claimed it. */
    public TaskTimeout(long clock) {
        super("timeout at kernel clock " + Durations.seconds(clock) + " s");
        this.clock = clock;
        this.timeout = null;
    }

    /** A timeout claimed by its scope: {@code message} names it, {@code timeout} is its length if relative. */
    public TaskTimeout(long clock, String message, Duration timeout) {
        super(message);
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Names the timeout scope this timeout belongs to; called by that scope as the timeout leaves
     * it. The instance stays the same: what an interrupted operation attached to it (see
     * {@code PartialIo}) stays with it. Returns this.
     */
    public TaskTimeout claimedBy(String message, Duration timeout) {
        this.scopeMessage = message;
        this.timeout = timeout;
        return this;
    }

    @Override
    public String getMessage() {
        return scopeMessage != null ? scopeMessage : super.getMessage();
    }

    /** Kernel clock (nanoseconds) at which the timeout was delivered. */
    public long clock() {
        return clock;
    }

    /**
     * The length of the {@code timeoutAfter} scope that expired; empty for a {@code timeoutAt}
     * deadline, or while no scope has claimed the timeout yet (inside the block).
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }
}
