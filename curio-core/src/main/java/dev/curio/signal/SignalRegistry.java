package dev.curio.signal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Which watcher (queue or event) receives each signal. The first watcher of a signal installs
 * one dispatching handler and remembers the handler it replaced; the most recently opened watcher
 * of a signal receives it (as Curio's, whose newest handler replaces the older ones); the last one
 * to close puts the remembered handler back. So watchers may close in any order.
 *
 * <p>Thread-safe: all state is guarded by the class lock, taken by the JVM's signal threads (one
 * per delivery) and by openers and closers; deliveries happen outside the lock.
 */
final class SignalRegistry {

    /** Receives signals; called on a JVM signal thread. */
    interface Watcher {
        void deliver(UnixSignal signal);
    }

    private static final Map<UnixSignal, Deque<Watcher>> WATCHERS = new EnumMap<>(UnixSignal.class);
    private static final Map<UnixSignal, SignalHandler> ORIGINAL = new EnumMap<>(UnixSignal.class);

    /** The one handler installed for every watched signal. */
    private static final SignalHandler DISPATCHER = SignalRegistry::dispatch;

    private SignalRegistry() {}

    /** Makes {@code w} the receiver of each of {@code signals}; all or none. */
    static synchronized void add(List<UnixSignal> signals, Watcher w) {
        int done = 0;
        try {
            for (UnixSignal s : signals) {
                add(s, w);
                done++;
            }
        } catch (RuntimeException e) {
            for (UnixSignal s : signals.subList(0, done)) {
                remove(s, w);
            }
            throw e;
        }
    }

    private static void add(UnixSignal s, Watcher w) {
        Deque<Watcher> ws = WATCHERS.computeIfAbsent(s, k -> new ArrayDeque<>());
        if (ws.isEmpty()) {
            Signal sig = new Signal(s.name());
            SignalHandler previous;
            try {
                previous = Signal.handle(sig, DISPATCHER);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(s.signalName() + " cannot be caught in this JVM, which"
                        + " reserves it (" + e.getMessage() + "); HotSpot keeps QUIT, KILL, STOP, SEGV, FPE and"
                        + " ILL, and with -Xrs also HUP, INT and TERM", e);
            }
            // HotSpot silently refuses to catch HUP, INT or TERM while they are ignored (inherited
            // from a shell's background job or nohup, or set to SIG_IGN): it returns SIG_IGN and
            // installs nothing.
            if (previous == SignalHandler.SIG_IGN && Signal.handle(sig, DISPATCHER) != DISPATCHER) {
                throw new IllegalArgumentException(s.signalName() + " cannot be caught: this process ignores it"
                        + " (as a shell's background jobs and nohup start, or after SIG_IGN), and the JVM keeps"
                        + " an ignored shutdown signal ignored");
            }
            ORIGINAL.put(s, previous);
        }
        ws.push(w);
    }

    /** Stops {@code w} receiving {@code signals}; restores a signal's original handling after its last watcher. */
    static synchronized void remove(List<UnixSignal> signals, Watcher w) {
        for (UnixSignal s : signals) {
            remove(s, w);
        }
    }

    private static void remove(UnixSignal s, Watcher w) {
        Deque<Watcher> ws = WATCHERS.get(s);
        if (ws == null || !ws.removeFirstOccurrence(w)) {
            return;
        }
        if (ws.isEmpty()) {
            Signal.handle(new Signal(s.name()), ORIGINAL.remove(s));
        }
    }

    private static void dispatch(Signal sig) {
        UnixSignal s = UnixSignal.valueOf(sig.getName());
        Watcher w;
        synchronized (SignalRegistry.class) {
            Deque<Watcher> ws = WATCHERS.get(s);
            w = ws == null ? null : ws.peek();
        }
        if (w != null) {
            w.deliver(s);
        }
    }

    static List<UnixSignal> check(UnixSignal... signals) {
        if (signals == null || signals.length == 0) {
            throw new IllegalArgumentException("signals must name at least one signal");
        }
        for (UnixSignal s : signals) {
            if (s == null) {
                throw new IllegalArgumentException("signals must not contain null");
            }
        }
        return List.of(signals).stream().distinct().toList();
    }
}
