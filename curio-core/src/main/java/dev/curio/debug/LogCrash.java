package dev.curio.debug;

import dev.curio.CancelledError;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import java.lang.System.Logger.Level;

/** Logs every task that ends with an exception other than a cancellation (Curio's {@code logcrash}). */
public class LogCrash extends DebugActivation<LogCrash> {

    public LogCrash() {
        super(Level.ERROR);
    }

    @Override
    public void suspended(Task<?> task, Trap trap) {
        if (task.terminated() && accepts(task)) {
            Throwable e = task.exception();
            if (e != null && !(e instanceof CancelledError)) {
                log(task + " crashed", e);
            }
        }
    }
}
