package dev.curio.sync;

import dev.curio.kernel.WaitBarrier;

/**
 * An event flag for tasks of one kernel (Curio's {@code Event}). {@link #await()} blocks until the
 * flag is set; {@link #set()} wakes every waiter, in arrival order.
 *
 * <p>Kernel-only: use it from tasks of a single kernel; it holds no lock.
 */
public final class Event {

    private boolean value;
    private final WaitBarrier waiting = new WaitBarrier();

    public boolean isSet() {
        return value;
    }

    public void clear() {
        value = false;
    }

    /** Waits until the event is set (Curio's {@code wait()}); returns at once if it is. */
    public void await() {
        if (!value) {
            waiting.suspend("EVENT_WAIT");
        }
    }

    /** Sets the event and wakes all waiting tasks. */
    public void set() {
        value = true;
        waiting.wakeAll();
    }

    /** Number of tasks waiting. */
    public int waiting() {
        return waiting.size();
    }

    @Override
    public String toString() {
        return "Event[" + (value ? "set" : "unset") + ", waiting=" + waiting.size() + "]";
    }
}
