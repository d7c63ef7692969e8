package dev.curio;

/** An object that only supports asynchronous I/O was used synchronously (Curio's {@code SyncIOError}). */
public class SyncIOError extends CurioError {
    public SyncIOError(String message) {
        super(message);
    }
}
