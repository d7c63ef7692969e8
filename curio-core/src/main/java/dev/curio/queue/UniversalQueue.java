package dev.curio.queue;

import dev.curio.sync.Futures;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A FIFO queue used at the same time by tasks of one or more kernels and by plain threads (Curio's
 * {@code UniversalQueue}). The same methods work everywhere: in a task a blocking call is a trap
 * (cancellable, usable under {@code Curio.timeoutAfter}; other tasks run meanwhile), in a thread it
 * blocks the thread. The timed forms {@link #poll(Duration)}, {@link #offer(Object, Duration)} and
 * {@link #join(Duration)} measure time on the kernel clock in a task, in real time elsewhere.
 *
 * <ul>
 *   <li>{@code maxsize} 0 means unbounded; {@link #put} blocks while the queue is at capacity.</li>
 *   <li>Hand-over, FIFO among waiters: a put with getters waiting gives the item to the
 *       longest-waiting getter; a get that frees a slot moves the longest-waiting putter's item
 *       in. Each waiter waits on its own future, so the hand-over and a cancellation or timeout
 *       of the waiter race on that future only, and exactly one wins (see {@link Futures}).</li>
 *   <li>A get that is cancelled or times out takes no item; a put that is cancelled or times out
 *       adds none. If the hand-over won the race, the operation completed and a task sees its
 *       cancellation at its next blocking call.</li>
 *   <li>{@link #join} waits until {@link #taskDone} has been called once per item put, from
 *       anywhere.</li>
 *   <li>Iteration is Curio's {@code async for}: endless, each step a {@link #get}.</li>
 *   <li>Items must not be null (null is the timed forms' "nothing").</li>
 * </ul>
 *
 * <p>Thread-safe: every field below is guarded by this object's monitor, which is held only for
 * short non-blocking steps (never while waiting). Invariants: a live (not cancelled) getter waits
 * only while {@code items} is empty; a live putter waits only while {@code items} is full.
 */
public final class UniversalQueue<T> implements Iterable<T> {

    private record Putter<T>(T item, CompletableFuture<Void> admitted) {}

    private final int maxsize;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<T>> getters = new ArrayDeque<>();
    private final ArrayDeque<Putter<T>> putters = new ArrayDeque<>();
    private final List<CompletableFuture<Void>> joiners = new ArrayList<>();
    private int unfinished;

    /** An unbounded queue. */
    public UniversalQueue() {
        this(0);
    }

    /** A queue holding at most {@code maxsize} items; 0 means unbounded. */
    public UniversalQueue(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be >= 0 (0 = unbounded), was " + maxsize);
        }
        this.maxsize = maxsize;
    }

    public int maxsize() {
        return maxsize;
    }

    public synchronized int size() {
        return items.size();
    }

    public synchronized boolean empty() {
        return items.isEmpty();
    }

    public synchronized boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    // ---- get ----

    /** Removes and returns the next item, waiting while there is none. */
    public T get() {
        return take(null);
    }

    /** As {@link #get()}, waiting at most {@code timeout}; returns null if no item came in time. */
    public T poll(Duration timeout) {
        return take(Objects.requireNonNull(timeout, "timeout"));
    }

    private T take(Duration timeout) {
        CompletableFuture<T> getter;
        synchronized (this) {
            T item = items.pollFirst();
            if (item != null) {
                admitPutter();
                return item;
            }
            getter = new CompletableFuture<>();
            getters.addLast(getter);
        }
        boolean handedOver = false;
        try {
            handedOver = Futures.awaitHandOff(getter, timeout);
        } finally {
            if (!handedOver) {
                synchronized (this) {
                    getters.remove(getter);
                }
            }
        }
        return handedOver ? getter.join() : null;
    }

    /** After an item left {@code items}: moves the longest-waiting live putter's item in. */
    private void admitPutter() {
        Putter<T> p;
        while ((p = putters.pollFirst()) != null) {
            if (p.admitted().complete(null)) {
                items.addLast(p.item());
                unfinished++;
                return;
            }
        }
    }

    // ---- put ----

    /** Adds {@code item}, waiting while the queue is at capacity. */
    public void put(T item) {
        insert(Objects.requireNonNull(item, "item"), null);
    }

    /** As {@link #put}, waiting at most {@code timeout}; returns false (and adds nothing) if no room came in time. */
    public boolean offer(T item, Duration timeout) {
        return insert(Objects.requireNonNull(item, "item"), Objects.requireNonNull(timeout, "timeout"));
    }

    private boolean insert(T item, Duration timeout) {
        Putter<T> putter;
        synchronized (this) {
            CompletableFuture<T> g;
            while ((g = getters.pollFirst()) != null) {
                if (g.complete(item)) {
                    unfinished++;
                    return true;
                }
            }
            if (maxsize == 0 || items.size() < maxsize) {
                items.addLast(item);
                unfinished++;
                return true;
            }
            putter = new Putter<>(item, new CompletableFuture<>());
            putters.addLast(putter);
        }
        boolean admitted = false;
        try {
            admitted = Futures.awaitHandOff(putter.admitted(), timeout);
            return admitted;
        } finally {
            if (!admitted) {
                synchronized (this) {
                    putters.remove(putter);
                }
            }
        }
    }

    // ---- join / taskDone ----

    /** Waits until every item put has been marked done with {@link #taskDone()}. */
    public void join() {
        join(null);
    }

    /** As {@link #join()}, waiting at most {@code timeout} (null: no limit); returns whether all were done. */
    public boolean join(Duration timeout) {
        CompletableFuture<Void> joiner;
        synchronized (this) {
            if (unfinished == 0) {
                return true;
            }
            joiner = new CompletableFuture<>();
            joiners.add(joiner);
        }
        boolean done = false;
        try {
            done = Futures.awaitHandOff(joiner, timeout);
            return done;
        } finally {
            if (!done) {
                synchronized (this) {
                    joiners.remove(joiner);
                }
            }
        }
    }

    /**
     * Marks one item as processed; the last one wakes every joiner.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        List<CompletableFuture<Void>> wake;
        synchronized (this) {
            if (unfinished == 0) {
                throw new IllegalStateException("taskDone() called more times than items were put");
            }
            if (--unfinished > 0 || joiners.isEmpty()) {
                return;
            }
            wake = List.copyOf(joiners);
            joiners.clear();
        }
        for (CompletableFuture<Void> j : wake) {
            j.complete(null);
        }
    }

    /** Items put and not yet marked done. */
    public synchronized int unfinished() {
        return unfinished;
    }

    /** Live waiters in {@link #get()} (tasks and threads). */
    public synchronized int getWaiting() {
        return (int) getters.stream().filter(g -> !g.isDone()).count();
    }

    /** Live waiters in {@link #put} (tasks and threads). */
    public synchronized int putWaiting() {
        return (int) putters.stream().filter(p -> !p.admitted().isDone()).count();
    }

    /** Curio's {@code async for msg in queue}: an endless iterator whose {@code next()} is {@link #get()}. */
    @Override
    public Iterator<T> iterator() {
        return new EndlessIterator<>(this::get);
    }

    @Override
    public synchronized String toString() {
        return "UniversalQueue[size=" + items.size() + ", maxsize=" + maxsize + ", getters=" + getters.size()
                + ", putters=" + putters.size() + ", unfinished=" + unfinished + "]";
    }
}
