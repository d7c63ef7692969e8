package dev.curio.workers;

/**
 * The worker process's side of a failure of {@code runInProcess} (Curio's {@code RemoteTraceback}):
 * the exception the work threw reaches the caller with the caller's own stack, and this, its
 * cause, carries the frames where it was thrown in the worker. (When the work's exception already
 * had a cause, which Java cannot replace, this is attached to it as a suppressed exception.)
 */
public final class RemoteTraceback extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RemoteTraceback(String message, StackTraceElement[] workerFrames) {
        super(message);
        setStackTrace(workerFrames);
    }
}
