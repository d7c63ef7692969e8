package dev.curio;

/** A block of task code with no value that may throw {@code E}; see {@link Block}. */
@FunctionalInterface
public interface VoidBlock<E extends Exception> {
    void run() throws E;

    /** This block as a {@link Block} returning null. */
    default Block<Void, E> asBlock() {
        return () -> {
            run();
            return null;
        };
    }
}
