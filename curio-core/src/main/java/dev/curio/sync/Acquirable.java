package dev.curio.sync;

/**
 * What the lock-like objects have in common (Curio's {@code _LockBase}): {@link Lock},
 * {@link RLock}, {@link Semaphore}, {@link BoundedSemaphore} and {@link Condition}. A
 * {@link Condition} can be built on any implementation.
 *
 * <p>The one idiom, Curio's {@code async with lock:}, is try-with-resources on the value that
 * {@link #acquire()} returns (the object itself):
 *
 * <pre>{@code
 * try (var held = lock.acquire()) {
 *     ... // the lock is held here; close() releases it, also when the block throws
 * }
 * }</pre>
 *
 * If {@code acquire()} itself throws (cancelled, timed out), nothing was acquired and nothing is
 * released. Do not call {@link #release()} inside such a block as well: the lock would be
 * released twice.
 *
 * <p>Kernel-only: an implementation is used by the tasks of one kernel and holds no Java lock;
 * its blocking operations are traps (cancellable, usable under {@code Curio.timeoutAfter}).
 */
public interface Acquirable extends AutoCloseable {

    /** Acquires, blocking if needed (a trap when it blocks); returns this object for try-with-resources. */
    Acquirable acquire();

    /** Releases; never blocks. */
    void release();

    /** Whether the object is currently held. */
    boolean locked();

    /** Releases: what ends a try-with-resources block started by {@link #acquire()}. */
    @Override
    default void close() {
        release();
    }
}
