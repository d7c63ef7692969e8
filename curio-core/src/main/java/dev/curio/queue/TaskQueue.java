package dev.curio.queue;

import java.util.ArrayDeque;

/**
 * A first-in first-out queue between the tasks of one kernel (Curio's {@code Queue}). See
 * {@link AbstractTaskQueue} for the operations, their guarantees, and the choice of name.
 *
 * <p>Kernel-only: the items are touched only by the task holding the kernel.
 */
public final class TaskQueue<T> extends AbstractTaskQueue<T> {

    private final ArrayDeque<T> items = new ArrayDeque<>();

    /** An unbounded queue. */
    public TaskQueue() {
        this(0);
    }

    /** A queue holding at most {@code maxsize} items; 0 means unbounded. */
    public TaskQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    void putItem(T item) {
        items.addLast(item);
    }

    @Override
    T takeItem() {
        return items.pollFirst();
    }

    @Override
    int count() {
        return items.size();
    }
}
