package dev.curio;

/**
 * A kernel operation was called from a thread that is neither a task nor an async thread
 * (Curio's {@code AsyncOnlyError}). Its message says how to get into a task.
 */
public class AsyncOnlyError extends CurioError {

    /** How to get into a task, appended to every message. */
    static final String HOW = ": this thread is not a task. Run the code as a task: Curio.run(() -> ...) from"
            + " main, kernelThread.submit(...) from another thread, or, in a Spring application, the starter's"
            + " CurioTasks.submit/run (a controller's request work: CurioRequests)";

    public AsyncOnlyError(String message) {
        super(message + HOW);
    }
}
