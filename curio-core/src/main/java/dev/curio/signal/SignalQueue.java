package dev.curio.signal;

import dev.curio.queue.UniversalQueue;
import java.time.Duration;
import java.util.List;

/**
 * Queues each arrival of the given Unix signals (Curio's {@code SignalQueue}), from the moment it
 * is created until it is closed, which restores the signals' previous handling:
 *
 * <pre>{@code
 * try (SignalQueue restart = new SignalQueue(UnixSignal.HUP)) {
 *     while (true) {
 *         Task<?> server = Curio.spawn(...);
 *         restart.get();
 *         server.cancel();
 *     }
 * }
 * }</pre>
 *
 * <p>If several queues or events watch one signal, the most recently created receives it. The
 * JVM runs signal handlers on threads of its own; they reach the kernel through a
 * {@link UniversalQueue}, so {@link #get()} is a trap in a task and a blocking call in a thread.
 * Thread-safe. Signals sent to the JVM in quick succession may be merged by the operating system
 * into one arrival.
 */
public final class SignalQueue implements AutoCloseable {

    private final List<UnixSignal> signals;
    private final UniversalQueue<UnixSignal> arrivals = new UniversalQueue<>();
    private final SignalRegistry.Watcher watcher = arrivals::put;
    private volatile boolean closed;

    /**
     * Starts watching {@code signals}.
     *
     * @throws IllegalArgumentException if none is given or the JVM reserves one (nothing is then watched)
     */
    public SignalQueue(UnixSignal... signals) {
        this.signals = SignalRegistry.check(signals);
        SignalRegistry.add(this.signals, watcher);
    }

    /** Waits for the next signal and returns it. */
    public UnixSignal get() {
        return arrivals.get();
    }

    /** As {@link #get()}, waiting at most {@code timeout}; null if none came. */
    public UnixSignal poll(Duration timeout) {
        return arrivals.poll(timeout);
    }

    /** Signals received and not yet taken. */
    public int size() {
        return arrivals.size();
    }

    public List<UnixSignal> signals() {
        return signals;
    }

    /** Stops watching and restores the previous handling; signals already queued can still be taken. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            SignalRegistry.remove(signals, watcher);
        }
    }

    @Override
    public String toString() {
        return "SignalQueue(" + signals + (closed ? ", closed" : "") + ", queued=" + size() + ")";
    }
}
