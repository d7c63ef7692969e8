package dev.curio;

/**
 * A timeout escaped the scope it belonged to and reached an outer scope whose own deadline has not
 * expired (Curio's {@code UncaughtTimeoutError}): an inner {@code timeoutAfter} lacks a handler.
 */
public class UncaughtTimeoutError extends CurioError {
    public UncaughtTimeoutError(String message, Throwable cause) {
        super(message, cause);
    }
}
