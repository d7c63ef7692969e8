package dev.curio;

/**
 * A kernel operation was called from a thread that is neither a task nor an async thread
 * (Curio's {@code AsyncOnlyError}).
 */
public class AsyncOnlyError extends CurioError {
    public AsyncOnlyError(String message) {
        super(message);
    }
}
