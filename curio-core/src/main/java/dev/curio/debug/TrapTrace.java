package dev.curio.debug;

import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;

/**
 * {@link SchedTrace} plus the trap that ended each cycle (Curio's {@code traptrace}). Traps that
 * return at once (spawn, wake, timeouts) do not end a cycle and are not seen, as in Curio.
 */
public class TrapTrace extends SchedTrace {

    @Override
    public void suspended(Task<?> task, Trap trap) {
        if (accepts(task) && trap != null) {
            log("TRAP:" + trap);
        }
        super.suspended(task, trap);
    }
}
