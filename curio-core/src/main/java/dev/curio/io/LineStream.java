package dev.curio.io;

import dev.curio.CancelledError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What every Curio stream does given {@link #read(int)} and {@link #readline()}: read an exact
 * count, read all lines, or iterate over them ({@code async for line in stream}). For tasks, as
 * the reads are.
 */
public interface LineStream extends Iterable<byte[]> {

    /** Up to {@code maxBytes} bytes, at least one unless the stream has ended (then empty). */
    byte[] read(int maxBytes) throws IOException;

    /**
     * Reads exactly {@code n} bytes. At end of stream first, throws {@link java.io.EOFException}; if
     * cancelled, rethrows; either way {@code PartialIo.of(e).bytesRead()} holds what was read.
     * Memory follows what arrives, not what was asked: a count over {@value #EXACT_CHUNK} bytes
     * (a length announced by a peer) is gathered in a buffer that doubles as bytes come, so a peer
     * announcing much and sending little costs little.
     */
    default byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        byte[] out = new byte[Math.min(n, EXACT_CHUNK)];
        int got = 0;
        while (got < n) {
            if (got == out.length) { // only for n > EXACT_CHUNK: grow with what arrived, at most to n
                out = java.util.Arrays.copyOf(out, (int) Math.min(n, 2L * out.length));
            }
            byte[] b;
            try {
                b = read(out.length - got);
            } catch (CancelledError e) {
                throw PartialIo.read(e, java.util.Arrays.copyOf(out, got));
            }
            if (b.length == 0) {
                throw PartialIo.read(new java.io.EOFException("Unexpected end of data"), java.util.Arrays.copyOf(out, got));
            }
            System.arraycopy(b, 0, out, got, b.length);
            got += b.length;
        }
        return out;
    }

    /** {@link #readExactly} allocates at once up to this many bytes (64 KiB), then grows as bytes arrive. */
    int EXACT_CHUNK = 64 * 1024;

    /** The next line with its newline; the rest of the stream at its end; empty at end of stream. */
    byte[] readline() throws IOException;

    /** Reads every line to end of stream. If cancelled, {@code PartialIo.of(e).linesRead()} holds those read. */
    default List<byte[]> readlines() throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try {
            for (byte[] line = readline(); line.length > 0; line = readline()) {
                lines.add(line);
            }
            return lines;
        } catch (CancelledError e) {
            throw PartialIo.lines(e, lines);
        }
    }

    /**
     * The lines of the stream, read as the iteration proceeds. An I/O error ends the iteration as
     * an {@link java.io.UncheckedIOException} (an Iterator cannot throw checked exceptions); cancellation
     * passes through unchanged.
     */
    @Override
    default Iterator<byte[]> iterator() {
        return new LineIterator<>(this::readline, line -> line.length == 0);
    }
}
