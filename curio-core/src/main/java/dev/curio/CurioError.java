package dev.curio;

/**
 * Base class of every Curio error that is not a cancellation (Curio's {@code CurioError}).
 *
 * <p>Unchecked, and an ordinary {@link RuntimeException}: a {@code catch (Exception e)} sees it.
 * Cancellations are {@link CancelledError}s instead, which such a catch does not see.
 */
public class CurioError extends RuntimeException {
    public CurioError(String message) {
        super(message);
    }

    public CurioError(String message, Throwable cause) {
        super(message, cause);
    }
}
