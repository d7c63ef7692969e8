package dev.curio.signal;

import dev.curio.sync.UniversalEvent;
import java.time.Duration;
import java.util.List;

/**
 * A sticky flag set when any of the given Unix signals arrives (Curio's {@code SignalEvent}), from
 * its creation until it is closed, which restores the signals' previous handling. The tutorial's
 * parent waits for Control-C or SIGTERM with it, then closes it so that a second Control-C gets
 * the JVM's own handling (shutdown) again:
 *
 * <pre>{@code
 * try (SignalEvent goodbye = new SignalEvent(UnixSignal.INT, UnixSignal.TERM)) {
 *     goodbye.await();
 * }
 * }</pre>
 *
 * <p>Backed by a {@link UniversalEvent}, set from the JVM's signal thread: {@link #await()} is a
 * trap in a task and a blocking call in a thread. The most recently created watcher of a signal
 * receives it. Thread-safe.
 */
public final class SignalEvent implements AutoCloseable {

    private final List<UnixSignal> signals;
    private final UniversalEvent event = new UniversalEvent();
    private final SignalRegistry.Watcher watcher = s -> event.set();
    private volatile boolean closed;

    /**
     * Starts watching {@code signals}.
     *
     * @throws IllegalArgumentException if none is given or the JVM reserves one (nothing is then watched)
     */
    public SignalEvent(UnixSignal... signals) {
        this.signals = SignalRegistry.check(signals);
        SignalRegistry.add(this.signals, watcher);
    }

    /** Waits until one of the signals has arrived (Curio's {@code wait()}); at once if one has. */
    public void await() {
        event.await();
    }

    /** Waits at most {@code timeout}; returns whether a signal has arrived. */
    public boolean await(Duration timeout) {
        return event.await(timeout);
    }

    public boolean isSet() {
        return event.isSet();
    }

    /** Forgets the arrivals so far. */
    public void clear() {
        event.clear();
    }

    public List<UnixSignal> signals() {
        return signals;
    }

    /** Stops watching and restores the previous handling. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            SignalRegistry.remove(signals, watcher);
        }
    }

    @Override
    public String toString() {
        return "SignalEvent(" + signals + (closed ? ", closed" : "") + (isSet() ? ", set" : "") + ")";
    }
}
