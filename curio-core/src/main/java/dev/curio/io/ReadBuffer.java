package dev.curio.io;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The read-ahead of a buffered stream ({@link ChannelStream}, {@link TlsStream}): bytes received
 * and not yet returned, {@code buf[start, end)}, and how far they were searched for a newline, so
 * that a line arriving in pieces is scanned once. The stream fills it ({@link #space},
 * {@link #filled}); a cancelled fill leaves what was buffered intact.
 *
 * <p>Not thread-safe: owned by its stream, used by that stream's reader task.
 */
final class ReadBuffer {

    private byte[] buf = new byte[0];
    private int start;
    private int end;
    /** Bytes from {@code start} already searched for a newline. */
    private int scanned;

    /** Bytes buffered and not yet returned. */
    int size() {
        return end - start;
    }

    /** The next {@code n} buffered bytes (at most {@link #size()}), removed from the buffer. */
    byte[] take(int n) {
        byte[] r = Arrays.copyOfRange(buf, start, start + n);
        consume(n);
        return r;
    }

    /** Moves as many buffered bytes as fit into {@code dst}; returns the count. */
    int drainInto(ByteBuffer dst) {
        int n = Math.min(size(), dst.remaining());
        dst.put(buf, start, n);
        consume(n);
        return n;
    }

    /**
     * The buffered line up to and including its newline, removed from the buffer; null if no
     * newline is buffered yet.
     *
     * @throws LineTooLongException if {@code maxLineLength} or more bytes are buffered without one
     */
    byte[] line(int maxLineLength) throws LineTooLongException {
        for (int i = start + scanned; i < end; i++) {
            if (buf[i] == '\n') {
                return take(i + 1 - start);
            }
        }
        scanned = end - start;
        if (scanned >= maxLineLength) {
            throw new LineTooLongException(maxLineLength);
        }
        return null;
    }

    /** Room for {@code want} more bytes after the buffered ones, as a buffer to read into. */
    ByteBuffer space(int want) {
        if (buf.length - end < want) {
            int live = end - start;
            byte[] nb = buf.length - live >= want && start > 0 ? buf : new byte[Math.max(buf.length * 2, live + want)];
            System.arraycopy(buf, start, nb, 0, live);
            buf = nb;
            start = 0;
            end = live;
        }
        return ByteBuffer.wrap(buf, end, want);
    }

    /** Records that {@code n} bytes were read into the last {@link #space}. */
    void filled(int n) {
        end += n;
    }

    private void consume(int n) {
        start += n;
        scanned = 0;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }
}
