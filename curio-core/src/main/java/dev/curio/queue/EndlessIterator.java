package dev.curio.queue;

import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Curio's {@code async for msg in queue}: an endless iterator whose {@link #next()} is the queue's
 * {@code get()}. A {@code for} loop over a queue ends only when an exception (usually a
 * cancellation) leaves it. Stateless; as safe as the {@code get} it calls.
 */
final class EndlessIterator<T> implements Iterator<T> {

    private final Supplier<T> get;

    EndlessIterator(Supplier<T> get) {
        this.get = get;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public T next() {
        return get.get();
    }
}
