package dev.curio.sync;

import dev.curio.kernel.Task;

/**
 * A re-entrant lock (Curio's {@code RLock}): the task that holds it may acquire it again, and must
 * release it as many times. Waiting tasks queue on an inner {@link Lock}, so hand-over is FIFO.
 *
 * <p>Invariant (kernel-only, no Java lock): {@code owner} is the holding task and {@code count}
 * its number of acquisitions; both are set by the owner itself once it returns from the inner
 * lock, and cleared together when the count drops to zero.
 */
public final class RLock implements Acquirable {

    private final Lock lock = new Lock();
    private Task<?> owner;
    private int count;

    @Override
    public RLock acquire() {
        Task<?> me = InTask.require("RLock.acquire");
        if (owner != me) {
            lock.acquire();
            owner = me;
        }
        count++;
        return this;
    }

    /**
     * Releases one acquisition; the last one hands the lock to the next waiter.
     *
     * @throws IllegalStateException if the lock is not held, or held by another task
     */
    @Override
    public void release() {
        Task<?> me = InTask.require("RLock.release");
        if (count == 0) {
            throw new IllegalStateException("RLock is not locked");
        }
        if (me != owner) {
            throw new IllegalStateException("RLock can only be released by its owner " + owner + ", not by " + me);
        }
        if (--count == 0) {
            owner = null;
            lock.release();
        }
    }

    /** Whether some task holds the lock (or it is being handed to a waiter). */
    @Override
    public boolean locked() {
        return lock.locked();
    }

    /** How many times the owner has acquired the lock (0 when free). */
    public int count() {
        return count;
    }

    @Override
    public String toString() {
        return "RLock[" + (locked() ? "locked" : "unlocked") + ", recursion=" + count + ", owner=" + owner + "]";
    }
}
