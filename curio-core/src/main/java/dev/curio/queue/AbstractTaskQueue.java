package dev.curio.queue;

import dev.curio.AsyncOnlyError;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.WaitBarrier;
import dev.curio.kernel.WaitQueue;
import java.util.Iterator;
import java.util.Objects;

/**
 * A queue between the tasks of one kernel (Curio's {@code QueueBase}); {@link TaskQueue},
 * {@link TaskPriorityQueue} and {@link TaskLifoQueue} differ only in which item {@code get}
 * returns. For threads and other kernels use {@link UniversalQueue}.
 *
 * <p>Why {@code Task...} names: Curio's {@code Queue} and {@code PriorityQueue} would collide with
 * {@code java.util.Queue} and {@code java.util.PriorityQueue}, which most Java files import; the
 * prefix says what these are (queues between tasks, no thread safety) and sets them apart from
 * {@link UniversalQueue}.
 *
 * <ul>
 *   <li>{@code maxsize} 0 means unbounded; {@link #put} blocks while the queue is at capacity.</li>
 *   <li>{@link #get} and {@link #put} are traps when they block: cancellable, usable under
 *       {@code Curio.timeoutAfter}, FIFO-fair among waiting getters and among waiting putters.</li>
 *   <li>A cancelled or timed-out {@code get} takes no item; a cancelled or timed-out {@code put}
 *       adds none. A waiter woken before its cancellation arrived completes its operation, and
 *       the cancellation is raised at its next blocking call.</li>
 *   <li>{@link #join} waits until {@link #taskDone} has been called once per item put.</li>
 *   <li>Iteration is Curio's {@code async for msg in queue}: each step is a {@link #get}, and the
 *       loop ends only by an exception (typically the task's cancellation).</li>
 *   <li>Items must not be null.</li>
 * </ul>
 *
 * <p>Implementation note. Wakes hand over, as {@code Lock} does: a put that wakes a getter reserves
 * an item for it ({@code getReserved}), and a get that wakes a putter reserves a slot for it
 * ({@code putReserved}), so a task arriving meanwhile cannot take what a woken waiter was promised.
 * (Curio re-checks after waking, so a newcomer can overtake a woken getter, which then waits again
 * at the back.) A woken waiter always runs its operation, because the kernel never delivers a
 * cancellation to a task it has already made ready. Invariants, kernel-only (no Java lock):
 * {@code getReserved <= size()}; tasks wait in {@code getWaiting} only while
 * {@code size() == getReserved}; tasks wait in {@code putWaiting} only while
 * {@code size() + putReserved >= maxsize}.
 */
public abstract sealed class AbstractTaskQueue<T> implements Iterable<T>
        permits TaskQueue, TaskPriorityQueue, TaskLifoQueue {

    private final int maxsize;
    private final WaitQueue getWaiting = new WaitQueue();
    private final WaitQueue putWaiting = new WaitQueue();
    private final WaitBarrier joinWaiting = new WaitBarrier();
    private int getReserved;
    private int putReserved;
    private int unfinished;

    AbstractTaskQueue(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be >= 0 (0 = unbounded), was " + maxsize);
        }
        this.maxsize = maxsize;
    }

    // ---- storage policy, supplied by each kind of queue ----

    abstract void putItem(T item);

    abstract T takeItem();

    abstract int count();

    // ---- Curio's API ----

    /** The capacity; 0 means unbounded. */
    public int maxsize() {
        return maxsize;
    }

    /** Number of items in the queue (Curio's {@code qsize()}). */
    public int size() {
        return count();
    }

    public boolean empty() {
        return count() == 0;
    }

    public boolean full() {
        return maxsize > 0 && count() >= maxsize;
    }

    /** Removes and returns an item, waiting while none is available. */
    public T get() {
        requireTask("get");
        if (count() <= getReserved) {
            getWaiting.suspend("QUEUE_GET");
            // Woken by a put, which reserved an item for this task.
            getReserved--;
        }
        T item = takeItem();
        if (putWaiting.size() > 0) {
            putReserved++;
            putWaiting.wake(1);
        }
        return item;
    }

    /** Adds {@code item}, waiting while the queue is at capacity. */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        requireTask("put");
        if (maxsize > 0 && count() + putReserved >= maxsize) {
            putWaiting.suspend("QUEUE_PUT");
            // Woken by a get, which reserved a slot for this task.
            putReserved--;
        }
        putItem(item);
        unfinished++;
        if (getWaiting.size() > 0) {
            getReserved++;
            getWaiting.wake(1);
        }
    }

    /** Waits until every item put has been marked done with {@link #taskDone()}. */
    public void join() {
        requireTask("join");
        if (unfinished > 0) {
            joinWaiting.suspend("QUEUE_JOIN");
        }
    }

    /**
     * Marks one item as processed; the last one wakes the tasks in {@link #join()}.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        requireTask("taskDone");
        if (unfinished == 0) {
            throw new IllegalStateException("taskDone() called more times than items were put");
        }
        if (--unfinished == 0) {
            joinWaiting.wakeAll();
        }
    }

    /** Items put and not yet marked done. */
    public int unfinished() {
        return unfinished;
    }

    /** Tasks waiting in {@link #get()}. */
    public int getWaiting() {
        return getWaiting.size();
    }

    /** Tasks waiting in {@link #put}. */
    public int putWaiting() {
        return putWaiting.size();
    }

    /**
     * Curio's {@code async for msg in queue}: an endless iterator whose {@link Iterator#next()} is
     * {@link #get()}. A {@code for} loop over the queue ends only when an exception leaves it.
     */
    @Override
    public Iterator<T> iterator() {
        return new EndlessIterator<>(this::get);
    }

    private static void requireTask(String what) {
        if (Kernel.currentTask() == null) {
            throw new AsyncOnlyError("queue " + what + " must be called from a Curio task");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[size=" + count() + ", maxsize=" + maxsize + ", getters="
                + getWaiting.size() + ", putters=" + putWaiting.size() + ", unfinished=" + unfinished + "]";
    }
}
