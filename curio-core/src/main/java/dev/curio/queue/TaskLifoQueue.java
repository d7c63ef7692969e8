package dev.curio.queue;

import java.util.ArrayDeque;

/**
 * A last-in first-out queue (a stack) between the tasks of one kernel (Curio's
 * {@code LifoQueue}). See {@link AbstractTaskQueue} for the operations and their guarantees.
 *
 * <p>Kernel-only: the items are touched only by the task holding the kernel.
 */
public final class TaskLifoQueue<T> extends AbstractTaskQueue<T> {

    private final ArrayDeque<T> items = new ArrayDeque<>();

    /** An unbounded stack. */
    public TaskLifoQueue() {
        this(0);
    }

    /** A stack holding at most {@code maxsize} items; 0 means unbounded. */
    public TaskLifoQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    void putItem(T item) {
        items.addLast(item);
    }

    @Override
    T takeItem() {
        return items.pollLast();
    }

    @Override
    int count() {
        return items.size();
    }
}
