package dev.curio.sync;

import dev.curio.kernel.WaitBarrier;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * A value or an exception that one task sets once and others wait for (Curio's {@code Result}):
 * an {@link Event} that carries an outcome.
 *
 * <p>{@link #unwrap()} returns the value or rethrows the exception: unchecked exceptions and errors
 * as they are, a checked exception wrapped in a {@link CompletionException} (its cause).
 *
 * <p>Divergence from Curio, where a second {@code set_value} silently overwrites: a result is set
 * once; a second set is an {@link IllegalStateException}.
 *
 * <p>Invariant (kernel-only, no Java lock): {@code set} goes from false to true once, together
 * with {@code value} or {@code exception}; tasks wait only while it is false.
 */
public final class Result<T> {

    private boolean set;
    private T value;
    private Throwable exception;
    private final WaitBarrier waiting = new WaitBarrier();

    /** Whether a value or an exception has been set. */
    public boolean isSet() {
        return set;
    }

    /** Sets the value and wakes every waiting task. @throws IllegalStateException if already set */
    public void setValue(T value) {
        InTask.require("Result.setValue");
        checkUnset();
        this.value = value;
        this.set = true;
        waiting.wakeAll();
    }

    /** Sets the exception that {@link #unwrap()} will throw and wakes every waiting task. */
    public void setException(Throwable exception) {
        InTask.require("Result.setException");
        Objects.requireNonNull(exception, "exception");
        checkUnset();
        this.exception = exception;
        this.set = true;
        waiting.wakeAll();
    }

    /** Waits until the result is set, then returns the value or throws the exception. */
    public T unwrap() {
        InTask.require("Result.unwrap");
        if (!set) {
            waiting.suspend("RESULT_WAIT");
        }
        if (exception != null) {
            throw rethrow(exception);
        }
        return value;
    }

    private void checkUnset() {
        if (set) {
            throw new IllegalStateException("Result already set: " + this);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new CompletionException(t);
    }

    @Override
    public String toString() {
        if (!set) {
            return "Result[not set, waiting=" + waiting.size() + "]";
        }
        return exception != null ? "Result[exception=" + exception + "]" : "Result[value=" + value + "]";
    }
}
