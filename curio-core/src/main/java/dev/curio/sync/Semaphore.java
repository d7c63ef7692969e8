package dev.curio.sync;

import dev.curio.kernel.WaitQueue;

/**
 * A counting semaphore for the tasks of one kernel (Curio's {@code Semaphore}): {@link #acquire()}
 * takes one unit of {@link #value()}, blocking while it is 0; {@link #release()} gives one back.
 *
 * <p>Fair by construction: a release with tasks waiting does not increment the value, it hands the
 * unit to the longest-waiting task. A waiter that is cancelled or times out leaves no trace.
 *
 * <p>Invariant (kernel-only, no Java lock): {@code 0 <= value <= bound}, and tasks wait only while
 * {@code value == 0}.
 */
public sealed class Semaphore implements Acquirable permits BoundedSemaphore {

    private int value;
    private final int bound;
    private final WaitQueue waiting = new WaitQueue();

    /** A semaphore with value 1. */
    public Semaphore() {
        this(1);
    }

    /** @throws IllegalArgumentException if {@code value} is negative */
    public Semaphore(int value) {
        this(value, Integer.MAX_VALUE);
    }

    Semaphore(int value, int bound) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be >= 0, was " + value);
        }
        this.value = value;
        this.bound = bound;
    }

    @Override
    public Semaphore acquire() {
        InTask.require("Semaphore.acquire");
        if (value <= 0) {
            // Returns holding a unit: release() handed it over without incrementing.
            waiting.suspend("SEMA_ACQUIRE");
        } else {
            value--;
        }
        return this;
    }

    /** @throws IllegalStateException if the value would exceed its bound (see {@link BoundedSemaphore}) */
    @Override
    public void release() {
        InTask.require(getClass().getSimpleName() + ".release");
        if (waiting.size() > 0) {
            waiting.wake(1);
        } else if (value >= bound) {
            throw new IllegalStateException(getClass().getSimpleName() + " released too many times (value "
                    + value + " is already its bound)");
        } else {
            value++;
        }
    }

    /** Whether the value is 0, so that {@link #acquire()} would block. */
    @Override
    public boolean locked() {
        return value == 0;
    }

    /** The current value (Curio's read-only {@code value} property). */
    public int value() {
        return value;
    }

    /** Number of tasks waiting to acquire. */
    public int waiting() {
        return waiting.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (locked() ? "locked" : "unlocked") + ", value=" + value
                + ", waiting=" + waiting.size() + "]";
    }
}
