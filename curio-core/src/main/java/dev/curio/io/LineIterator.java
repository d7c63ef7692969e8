package dev.curio.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * Iterates over the lines a {@code readline} gives until it gives the empty line of the end of
 * the stream ({@code async for line in stream}). An I/O error ends the iteration as an
 * {@link UncheckedIOException}, since an Iterator cannot throw checked exceptions; cancellation
 * passes through unchanged. Used from the one task that reads.
 */
public final class LineIterator<T> implements Iterator<T> {

    /** A {@code readline} of some stream or file. */
    @FunctionalInterface
    public interface Readline<T> {
        T readline() throws IOException;
    }

    private final Readline<T> readline;
    private final Predicate<T> atEnd;
    private T next;
    private boolean done;

    public LineIterator(Readline<T> readline, Predicate<T> atEnd) {
        this.readline = readline;
        this.atEnd = atEnd;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                next = readline.readline();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (atEnd.test(next)) {
                next = null;
                done = true;
            }
        }
        return next != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T l = next;
        next = null;
        return l;
    }
}
