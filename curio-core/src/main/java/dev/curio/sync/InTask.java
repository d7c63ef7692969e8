package dev.curio.sync;

import dev.curio.AsyncOnlyError;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;

/** The check that a kernel-only operation is called by a task, naming the operation when it is not. */
final class InTask {

    private InTask() {}

    static Task<?> require(String what) {
        Task<?> me = Kernel.currentTask();
        if (me == null) {
            throw new AsyncOnlyError(what + " must be called from a Curio task");
        }
        return me;
    }
}
