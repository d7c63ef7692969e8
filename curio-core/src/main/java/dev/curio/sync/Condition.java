package dev.curio.sync;

import dev.curio.kernel.WaitQueue;
import dev.curio.task.Cancellation;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for the tasks of one kernel (Curio's {@code Condition}), built on any
 * {@link Acquirable} (a new {@link Lock} by default). Waiters wake in FIFO order.
 *
 * <p>Names: Curio's {@code wait()} is {@link #await()} and {@code notify_all()} is
 * {@link #notifyAllWaiters()}, because {@code Object.wait()}, {@code notify()} and
 * {@code notifyAll()} are final monitor methods. Calling {@code notify()} with no argument on a
 * condition is therefore Java's monitor method (and fails); Curio's {@code notify()} is
 * {@code notify(1)}.
 *
 * <p>One deliberate divergence from Curio: {@link #await()} always returns or throws with the lock
 * held again. Curio re-acquires in a {@code finally} that a second cancellation or a timeout can
 * interrupt, leaving the caller's {@code async with} to release a lock it no longer holds; here
 * the re-acquisition runs with cancellation disabled, and a cancellation that arrives meanwhile
 * stays pending until the next blocking operation.
 *
 * <p>Invariant (kernel-only, no Java lock): a task is in {@code waiting} only between releasing
 * the lock in {@code await()} and being notified, cancelled or timed out; the kernel unlinks a
 * cancelled waiter, so a notification never goes to a task that stopped waiting.
 */
public final class Condition implements Acquirable {

    private final Acquirable lock;
    private final WaitQueue waiting = new WaitQueue();

    /** A condition on a new {@link Lock}. */
    public Condition() {
        this(new Lock());
    }

    /** A condition on {@code lock}, which may be shared with other code. */
    public Condition(Acquirable lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    @Override
    public Condition acquire() {
        lock.acquire();
        return this;
    }

    @Override
    public void release() {
        lock.release();
    }

    @Override
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, waits to be notified, and acquires the lock again (Curio's {@code wait()}).
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void await() {
        InTask.require("Condition.await");
        if (!locked()) {
            throw new IllegalStateException("Can't wait on a Condition whose lock is not acquired");
        }
        release();
        try {
            waiting.suspend("COND_WAIT");
        } finally {
            Cancellation.disable(() -> {
                lock.acquire();
                return null;
            });
        }
    }

    /** Waits (as {@link #await()}, repeatedly) until {@code predicate} is true; checks it first. */
    public void waitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Wakes up to {@code n} waiting tasks, longest-waiting first; each returns from {@link #await()}
     * once it has the lock again.
     *
     * @throws IllegalStateException if the lock is not held
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void notify(int n) {
        InTask.require("Condition.notify");
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (!locked()) {
            throw new IllegalStateException("Can't notify on a Condition whose lock is not acquired");
        }
        waiting.wake(n);
    }

    /** Wakes every waiting task (Curio's {@code notify_all()}). */
    public void notifyAllWaiters() {
        notify(waiting.size());
    }

    /** Number of tasks waiting to be notified. */
    public int waiting() {
        return waiting.size();
    }

    @Override
    public String toString() {
        return "Condition[" + (locked() ? "locked" : "unlocked") + ", waiting=" + waiting.size() + ", lock=" + lock + "]";
    }
}
