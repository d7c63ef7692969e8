package dev.curio.sync;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * A value or an exception set once and awaited by tasks of any kernels and by plain threads
 * (Curio's {@code UniversalResult}). {@link #unwrap()} is a trap in a task and a blocking call in a
 * thread; the setters never block. {@link #toCompletableFuture()} views it as a future for code
 * outside any kernel.
 *
 * <p>{@link #unwrap()} rethrows unchecked exceptions and errors as they are and wraps a checked
 * exception in a {@link CompletionException}. A second set is an {@link IllegalStateException}
 * (Curio silently overwrites).
 *
 * <p>Thread-safe: the outcome is a {@link CompletableFuture}; each waiter waits on its own copy of
 * it, so a cancelled waiter never cancels the result.
 */
public final class UniversalResult<T> {

    private final CompletableFuture<T> result = new CompletableFuture<>();

    /** Whether a value or an exception has been set. */
    public boolean isSet() {
        return result.isDone();
    }

    /** Sets the value and wakes every waiter. @throws IllegalStateException if already set */
    public void setValue(T value) {
        if (!result.complete(value)) {
            throw new IllegalStateException("UniversalResult already set: " + this);
        }
    }

    /** Sets the exception {@link #unwrap()} will throw. @throws IllegalStateException if already set */
    public void setException(Throwable exception) {
        if (exception == null) {
            throw new NullPointerException("exception");
        }
        if (!result.completeExceptionally(exception)) {
            throw new IllegalStateException("UniversalResult already set: " + this);
        }
    }

    /** Waits for the result, then returns the value or throws the exception. */
    public T unwrap() {
        if (!result.isDone()) {
            Futures.awaitHandOff(result.copy(), null);
        }
        return Futures.outcome(result);
    }

    /**
     * As {@link #unwrap()}, waiting at most {@code timeout} (in a task on the kernel clock).
     *
     * @throws TimeoutException if no result was set in time
     */
    public T unwrap(Duration timeout) throws TimeoutException {
        if (timeout == null) {
            throw new IllegalArgumentException("timeout must not be null");
        }
        if (!result.isDone() && !Futures.awaitHandOff(result.copy(), timeout)) {
            throw new TimeoutException("no result within " + timeout);
        }
        return Futures.outcome(result);
    }

    /**
     * A future completed with this result, for code outside any kernel. Completing or cancelling
     * it does not affect this result.
     */
    public CompletableFuture<T> toCompletableFuture() {
        return result.copy();
    }

    @Override
    public String toString() {
        return switch (result.state()) {
            case RUNNING -> "UniversalResult[not set]";
            case SUCCESS -> "UniversalResult[value=" + result.resultNow() + "]";
            default -> "UniversalResult[exception=" + result.exceptionNow() + "]";
        };
    }
}
