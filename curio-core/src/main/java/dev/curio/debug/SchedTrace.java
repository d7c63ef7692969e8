package dev.curio.debug;

import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import java.lang.System.Logger.Level;

/** Logs every scheduling event of a task: CREATE, RUN, SUSPEND, TERMINATED (Curio's {@code schedtrace}). */
public class SchedTrace extends DebugActivation<SchedTrace> {

    public SchedTrace() {
        super(Level.INFO);
    }

    @Override
    public void created(Task<?> task) {
        if (accepts(task)) {
            log("CREATE:" + task);
        }
    }

    @Override
    public void running(Task<?> task) {
        if (accepts(task)) {
            log("RUN:" + task);
        }
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        if (accepts(task)) {
            log("SUSPEND:" + task);
        }
    }

    @Override
    public void terminated(Task<?> task) {
        if (accepts(task)) {
            log("TERMINATED:" + task);
        }
    }
}
