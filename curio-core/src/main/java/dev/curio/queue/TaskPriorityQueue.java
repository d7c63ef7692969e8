package dev.curio.queue;

import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A priority queue between the tasks of one kernel (Curio's {@code PriorityQueue}): {@code get}
 * returns the smallest item, by natural ordering or by the given comparator. Items that compare
 * equal come out in the order they were put (Curio's heap gives no such promise).
 *
 * <p>Kernel-only: the items are touched only by the task holding the kernel.
 */
public final class TaskPriorityQueue<T> extends AbstractTaskQueue<T> {

    private record Entry<T>(T item, long seq) {}

    private final PriorityQueue<Entry<T>> items;
    private long seq;

    /** An unbounded queue of {@link Comparable} items. */
    public TaskPriorityQueue() {
        this(0);
    }

    /** A queue of {@link Comparable} items holding at most {@code maxsize}; 0 means unbounded. */
    @SuppressWarnings("unchecked")
    public TaskPriorityQueue(int maxsize) {
        this(maxsize, (Comparator<? super T>) Comparator.naturalOrder());
    }

    /** A queue ordered by {@code comparator} holding at most {@code maxsize} items; 0 means unbounded. */
    public TaskPriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize);
        Objects.requireNonNull(comparator, "comparator");
        Comparator<Entry<T>> byItem = (a, b) -> comparator.compare(a.item(), b.item());
        this.items = new PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
    }

    @Override
    void putItem(T item) {
        items.add(new Entry<>(item, seq++));
    }

    @Override
    T takeItem() {
        return items.poll().item();
    }

    @Override
    int count() {
        return items.size();
    }
}
