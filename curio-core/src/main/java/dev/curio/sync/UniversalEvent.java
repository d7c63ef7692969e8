package dev.curio.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An event usable at the same time by tasks of any kernels and by plain threads (Curio's
 * {@code UniversalEvent}): {@link #await()} is a trap in a task and a blocking call in a thread;
 * {@link #set()} and {@link #clear()} never block and work from anywhere.
 *
 * <p>Each waiter waits on its own future (see {@link Futures}); {@link #set()} completes them all.
 * A task cancelled while waiting, or a thread whose timeout elapsed, removes its future.
 *
 * <p>Thread-safe: {@code set} and {@code waiters} are guarded by this object's monitor, held only
 * briefly and never while waiting; {@code set} is also volatile for {@link #isSet()}.
 */
public final class UniversalEvent {

    private volatile boolean set;
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

    public boolean isSet() {
        return set;
    }

    public synchronized void clear() {
        set = false;
    }

    /** Sets the event and wakes every waiter, task or thread. */
    public void set() {
        List<CompletableFuture<Void>> wake;
        synchronized (this) {
            if (set) {
                return;
            }
            set = true;
            wake = List.copyOf(waiters);
            waiters.clear();
        }
        for (CompletableFuture<Void> f : wake) {
            f.complete(null);
        }
    }

    /** Waits until the event is set (Curio's {@code wait()}); returns at once if it is. */
    public void await() {
        await(null);
    }

    /**
     * Waits at most {@code timeout} (in a task on the kernel clock) for the event; returns whether
     * it was set. A null timeout waits without limit.
     */
    public boolean await(Duration timeout) {
        CompletableFuture<Void> f;
        synchronized (this) {
            if (set) {
                return true;
            }
            f = new CompletableFuture<>();
            waiters.add(f);
        }
        boolean done = false;
        try {
            done = Futures.awaitHandOff(f, timeout);
            return done;
        } finally {
            if (!done) {
                synchronized (this) {
                    waiters.remove(f);
                }
            }
        }
    }

    /** Number of waiters (tasks and threads). */
    public synchronized int waiting() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "UniversalEvent[" + (set ? "set" : "unset") + ", waiting=" + waiting() + "]";
    }
}
