package dev.curio.debug;

import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Warns when a task holds the kernel longer than a threshold in one cycle (Curio's
 * {@code longblock}): the mark of blocking code (a JDK blocking call, a long computation) that
 * belongs in {@code runInThread}. Measured in real time, whatever clock the kernel uses.
 *
 * <p>Kernel-only state: {@code start} is written and read by the thread holding the kernel.
 */
public class LongBlock extends DebugActivation<LongBlock> {

    private final long maxNanos;
    private long start;

    /** Curio's default threshold, 50 ms. */
    public LongBlock() {
        this(Duration.ofMillis(50));
    }

    public LongBlock(Duration maxTime) {
        super(Level.WARNING);
        if (maxTime == null || maxTime.isNegative()) {
            throw new IllegalArgumentException("maxTime must be >= 0, was " + maxTime);
        }
        this.maxNanos = maxTime.toNanos();
    }

    @Override
    public void running(Task<?> task) {
        if (accepts(task)) {
            start = System.nanoTime();
        }
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        if (accepts(task)) {
            long d = System.nanoTime() - start;
            if (d > maxNanos) {
                log(task + " ran for " + Duration.ofNanos(d).toMillis() + " ms (" + d / 1e9 + " seconds)");
            }
        }
    }
}
