package dev.curio.workers;

import dev.curio.CurioError;

/**
 * A worker process failed the call itself: it crashed, exited, or sent something that is not a
 * reply. The worker is discarded and the pool starts a fresh one for later calls.
 */
public class WorkerProcessError extends CurioError {
    public WorkerProcessError(String message) {
        super(message);
    }

    public WorkerProcessError(String message, Throwable cause) {
        super(message, cause);
    }
}
