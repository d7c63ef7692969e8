package dev.curio.kernel;

import java.util.Arrays;

/**
 * Deadlines of sleeping tasks and of timeouts (Curio's {@code TimeQueue}): a binary heap whose
 * entries know their position, so a cancelled sleep or timeout is removed in O(log n) instead of
 * lingering until it expires. Ties are broken by task id, then sleep before timeout, as Curio's
 * heap orders {@code (deadline, (task id, kind))}.
 *
 * <p>Kernel-only state: touched only by the thread holding the kernel.
 */
final class TimeQueue {

    static final int SLEEP = 0;
    static final int TIMEOUT = 1;

    /** One deadline of one task; {@code index} is its heap slot, -1 once removed. */
    static final class Entry {
        final long deadline;
        final Task<?> task;
        final int kind;
        int index = -1;

        Entry(long deadline, Task<?> task, int kind) {
            this.deadline = deadline;
            this.task = task;
            this.kind = kind;
        }

        boolean before(Entry o) {
            if (deadline != o.deadline) {
                return deadline < o.deadline;
            }
            if (task.id() != o.task.id()) {
                return task.id() < o.task.id();
            }
            return kind < o.kind;
        }
    }

    private Entry[] heap = new Entry[64];
    private int size;

    int size() {
        return size;
    }

    Entry push(Task<?> task, long deadline, int kind) {
        Entry e = new Entry(deadline, task, kind);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.index = size;
        heap[size++] = e;
        siftUp(e.index);
        return e;
    }

    void remove(Entry e) {
        int i = e.index;
        if (i < 0) {
            return;
        }
        e.index = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when there is none. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Removes and returns the earliest entry if it is due at {@code now}, else null. */
    Entry pollExpired(long now) {
        if (size == 0 || heap[0].deadline > now) {
            return null;
        }
        Entry e = heap[0];
        remove(e);
        return e;
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (!e.before(p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(e)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }
}
