package dev.curio.sync;

import dev.curio.kernel.WaitQueue;

/**
 * A mutual exclusion lock for the tasks of one kernel (Curio's {@code Lock}).
 *
 * <p>Fair by construction: {@link #release()} with tasks waiting does not unlock, it hands the lock
 * to the longest-waiting task, which returns from {@link #acquire()} owning it. A task that is
 * cancelled or times out while waiting is unlinked from the queue by the kernel and leaves no
 * trace. As in Curio, any task may release a held lock; use {@link RLock} for owner checks.
 *
 * <p>Invariant (kernel-only, no Java lock): {@code acquired} is true while a task holds the lock
 * or while it is being handed to a woken waiter; tasks wait in {@code waiting} only while
 * {@code acquired} is true.
 */
public final class Lock implements Acquirable {

    private boolean acquired;
    private final WaitQueue waiting = new WaitQueue();

    @Override
    public Lock acquire() {
        InTask.require("Lock.acquire");
        if (acquired) {
            // Returns owning the lock: release() handed it over without unlocking.
            waiting.suspend("LOCK_ACQUIRE");
        } else {
            acquired = true;
        }
        return this;
    }

    /** @throws IllegalStateException if the lock is not held */
    @Override
    public void release() {
        InTask.require("Lock.release");
        if (!acquired) {
            throw new IllegalStateException("Lock not acquired");
        }
        if (waiting.size() > 0) {
            waiting.wake(1);
        } else {
            acquired = false;
        }
    }

    @Override
    public boolean locked() {
        return acquired;
    }

    /** Number of tasks waiting to acquire. */
    public int waiting() {
        return waiting.size();
    }

    @Override
    public String toString() {
        return "Lock[" + (acquired ? "locked" : "unlocked") + ", waiting=" + waiting.size() + "]";
    }
}
