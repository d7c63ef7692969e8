package dev.curio.kernel;

import java.util.List;

/**
 * A place where tasks wait, the building block of every blocking object (Curio's {@code SchedBase}).
 * Subclasses hold waiting tasks; only the kernel calls {@link #kernelSuspend} and
 * {@link #kernelWake}, on the thread that holds the kernel, so they need no locking.
 * Blocking objects (events, locks, queues) are built from these outside the kernel.
 */
public abstract sealed class SchedPrimitive permits WaitQueue, WaitBarrier {

    /** Adds {@code task} and returns the action that removes it again if it is cancelled. */
    abstract Runnable kernelSuspend(Task<?> task);

    /** Removes up to {@code n} tasks, in the order they must wake. */
    abstract List<Task<?>> kernelWake(int n);

    /** Number of tasks waiting. */
    public abstract int size();

    /** Suspends the calling task here; {@code state} is its state while it waits (e.g. {@code "EVENT_WAIT"}). */
    public void suspend(String state) {
        Kernel.trap(new Trap.SchedWait(this, state));
    }

    /** Wakes up to {@code n} waiting tasks. */
    public void wake(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (n > 0) {
            Kernel.trap(new Trap.SchedWake(this, n));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + size() + " tasks waiting>";
    }
}
