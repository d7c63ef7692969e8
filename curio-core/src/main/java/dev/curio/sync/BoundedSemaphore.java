package dev.curio.sync;

/**
 * A {@link Semaphore} whose value may never exceed its initial value: one release too many is an
 * error (as Python's {@code threading.BoundedSemaphore}), which catches a task releasing what it
 * never acquired.
 *
 * <p>Kernel-only, as {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore {

    /** A bounded semaphore with value and bound 1. */
    public BoundedSemaphore() {
        this(1);
    }

    /** @throws IllegalArgumentException if {@code value} is negative */
    public BoundedSemaphore(int value) {
        super(value, value);
    }

    @Override
    public BoundedSemaphore acquire() {
        super.acquire();
        return this;
    }
}
