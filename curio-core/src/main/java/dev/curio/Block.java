package dev.curio;

/**
 * A block of task code that returns a value and may throw {@code E}; the exception type flows
 * through {@code Curio.timeoutAfter(...)} and friends unchanged (no checked exception is invented,
 * none is hidden). {@code E} is inferred as {@link RuntimeException} when the block throws nothing
 * checked.
 */
@FunctionalInterface
public interface Block<T, E extends Exception> {
    T call() throws E;
}
