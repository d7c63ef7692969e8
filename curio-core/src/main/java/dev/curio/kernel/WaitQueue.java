package dev.curio.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO of waiting tasks (Curio's {@code SchedFIFO}): tasks wake in the order they arrived. Locks
 * and queues are built on it. A cancelled waiter is unlinked at once, so it leaves no trace.
 *
 * <p>Kernel-only state: touched only by the thread holding the kernel.
 */
public final class WaitQueue extends SchedPrimitive {

    private static final class Node {
        final Task<?> task;
        Node prev;
        Node next;

        Node(Task<?> task) {
            this.task = task;
        }
    }

    private Node head;
    private Node tail;
    private int size;

    @Override
    Runnable kernelSuspend(Task<?> task) {
        Node node = new Node(task);
        if (tail == null) {
            head = tail = node;
        } else {
            tail.next = node;
            node.prev = tail;
            tail = node;
        }
        size++;
        return () -> unlink(node);
    }

    private void unlink(Node node) {
        if (node.prev == null) {
            head = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            tail = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = node.next = null;
        size--;
    }

    @Override
    List<Task<?>> kernelWake(int n) {
        List<Task<?>> woken = new ArrayList<>(Math.min(n, size));
        while (n-- > 0 && head != null) {
            Node node = head;
            unlink(node);
            woken.add(node.task);
        }
        return woken;
    }

    @Override
    public int size() {
        return size;
    }
}
