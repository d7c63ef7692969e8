package dev.curio.workers;

import dev.curio.kernel.WaitQueue;
import java.util.HashMap;
import java.util.Map;

/**
 * One-at-a-time admission per key for the tasks of one kernel: the mechanism of
 * {@code blockInThread} (at most one worker thread per distinct callable). Waiting tasks queue
 * FIFO; a cancelled waiter leaves no trace.
 *
 * <p>Kernel-only state: used by tasks of a single kernel, which never run at the same time.
 */
final class KeyedGate {

    private static final class Gate {
        boolean held;
        int users;
        final WaitQueue waiting = new WaitQueue();
    }

    private final Map<Object, Gate> gates = new HashMap<>();

    void enter(Object key) {
        Gate g = gates.computeIfAbsent(key, k -> new Gate());
        g.users++;
        if (!g.held) {
            g.held = true;
            return;
        }
        try {
            g.waiting.suspend("BLOCK_IN_THREAD"); // woken = handed the gate by exit()
        } catch (Throwable t) {
            leaveUnheld(key, g);
            throw t;
        }
    }

    void exit(Object key) {
        Gate g = gates.get(key);
        if (g.waiting.size() > 0) {
            g.waiting.wake(1); // hand over: the gate stays held, FIFO-fair
        } else {
            g.held = false;
        }
        leaveUnheld(key, g);
    }

    private void leaveUnheld(Object key, Gate g) {
        if (--g.users == 0) {
            gates.remove(key);
        }
    }

    /** Number of keys in use (for tests: nothing is left behind). */
    int size() {
        return gates.size();
    }
}
