package dev.curio;

/**
 * Base class of every cancellation (Curio's {@code CancelledError}, a Python {@code BaseException}).
 *
 * <p>It extends {@link Error}, not {@link RuntimeException}, on purpose: a {@code catch (Exception e)}
 * in task code must not swallow a cancellation, exactly as Python's {@code except Exception} does
 * not catch Curio's. Code that really wants to observe cancellation catches {@code CancelledError}
 * (or {@code Throwable}) and should rethrow it. See {@code docs/adr/0001-cancellation-is-an-error.md}.
 *
 * <p>Cancellations carry no stack trace: one is created by whoever cancels (or by the kernel for a
 * timeout) and thrown in another task, so a trace would show the wrong stack, and filling one in
 * is most of the cost of cancelling a task. {@code Task.traceback()} shows where a task is.
 */
public class CancelledError extends Error {
    public CancelledError(String message) {
        super(message, null, true, false);
    }

    public CancelledError(String message, Throwable cause) {
        super(message, cause, true, false);
    }
}
