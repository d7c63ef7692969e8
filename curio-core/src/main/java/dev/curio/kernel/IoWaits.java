package dev.curio.kernel;

import dev.curio.ReadResourceBusy;
import dev.curio.WriteResourceBusy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * The kernel's selector and which task waits to read or write each channel (the I/O half of
 * Curio's loop). At most one reader and one writer per channel: a second gets
 * {@link ReadResourceBusy} / {@link WriteResourceBusy}.
 *
 * <p>Kernel-only state, touched by the thread holding the kernel; only {@link #wakeup()} may be
 * called from any thread.
 */
final class IoWaits {

    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    /** Who waits on one registered channel, and the undo actions of their waits (made once). */
    private static final class Waiters {
        final SelectionKey key;
        Task<?> reader;
        Task<?> writer;
        final Runnable undoRead = () -> {
            reader = null;
            disarm(READ_OPS);
        };
        final Runnable undoWrite = () -> {
            writer = null;
            disarm(WRITE_OPS);
        };

        Waiters(SelectionKey key) {
            this.key = key;
        }

        void disarm(int ops) {
            if (key.isValid()) {
                key.interestOps(key.interestOps() & ~ops);
            }
        }
    }

    private final String kernelName;
    private final Selector selector;
    private int registered;

    IoWaits(String kernelName) {
        this.kernelName = kernelName;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the selector of kernel " + kernelName, e);
        }
    }

    /** Whether any channel is registered (only then is a non-blocking poll worth a system call). */
    boolean any() {
        return registered > 0;
    }

    /**
     * Waits up to {@code waitNanos} for I/O: 0 does not wait, a negative value waits until woken.
     * Returns whether any channel became ready.
     */
    boolean select(long waitNanos) {
        try {
            int n;
            if (waitNanos == 0) {
                n = selector.selectNow();
            } else if (waitNanos < 0) {
                n = selector.select();
            } else {
                n = selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
            }
            return n > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("kernel " + kernelName + ": selector failed", e);
        }
    }

    /** Ends a blocked or the next {@link #select}. Safe from any thread. */
    void wakeup() {
        selector.wakeup();
    }

    /** Hands every task whose channel became ready to {@code ready}. */
    void dispatch(Consumer<Task<?>> ready) {
        var keys = selector.selectedKeys();
        if (keys.isEmpty()) {
            return;
        }
        for (SelectionKey key : keys) {
            Waiters w = (Waiters) key.attachment();
            int readyOps;
            try {
                readyOps = key.readyOps();
            } catch (CancelledKeyException e) {
                continue;
            }
            // Read interest stays armed for a woken reader: it usually waits again within the
            // cycle, and re-arming would cost an update per wait. A readiness that finds nobody
            // reading disarms it, so a channel nobody reads cannot make every select return at
            // once. Write interest is disarmed at once: a socket is nearly always writable (and a
            // connected socket's pending OP_CONNECT would keep the selector awake unseen).
            int drop = 0;
            if ((readyOps & READ_OPS) != 0) {
                Task<?> t = w.reader;
                if (t != null) {
                    w.reader = null;
                    ready.accept(t);
                } else {
                    drop |= READ_OPS;
                }
            }
            if ((readyOps & WRITE_OPS) != 0) {
                Task<?> t = w.writer;
                drop |= WRITE_OPS;
                if (t != null) {
                    w.writer = null;
                    ready.accept(t);
                }
            }
            if (drop != 0) {
                w.disarm(drop);
            }
        }
        keys.clear();
    }

    /**
     * Registers {@code task} as the reader (or writer) of {@code ch} and returns the action that
     * undoes it if the task is cancelled.
     *
     * @throws ReadResourceBusy if another task already waits to read (WriteResourceBusy: to write)
     */
    Runnable await(Task<?> task, SelectableChannel ch, boolean read) {
        SelectionKey key = ch.keyFor(selector);
        Waiters w;
        try {
            if (key == null || !key.isValid()) {
                key = ch.register(selector, 0);
                w = new Waiters(key);
                key.attach(w);
                registered++;
            } else {
                w = (Waiters) key.attachment();
            }
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException("channel is closed", e);
        } catch (CancelledKeyException e) {
            throw new IllegalStateException("channel " + ch + " was released from the kernel", e);
        }
        if (read) {
            if (w.reader != null) {
                throw new ReadResourceBusy(
                        "Multiple tasks can't wait to read on the same channel " + ch + " (" + w.reader + " waits)");
            }
            w.reader = task;
        } else {
            if (w.writer != null) {
                throw new WriteResourceBusy(
                        "Multiple tasks can't wait to write on the same channel " + ch + " (" + w.writer + " waits)");
            }
            w.writer = task;
        }
        int ops = ch.validOps() & (read ? READ_OPS : WRITE_OPS);
        int interest = key.interestOps();
        if ((interest & ops) != ops) {
            key.interestOps(interest | ops);
        }
        return read ? w.undoRead : w.undoWrite;
    }

    /** Forgets {@code ch}; call before closing it. Releasing twice is harmless. */
    void release(SelectableChannel ch) {
        SelectionKey key = ch.keyFor(selector);
        if (key != null && key.isValid()) {
            key.cancel();
            registered--;
            // A cancelled key is deregistered only at the next select, and until then closing the
            // channel is deferred (the port stays bound, the peer sees no FIN): deregister now.
            // Keys that became ready meanwhile stay in selectedKeys() for the next dispatch.
            select(0);
        }
    }

    void close() throws IOException {
        selector.close();
    }
}
