package dev.curio.io;

import dev.curio.CancelledError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * A buffered stream over a {@link TlsSocket} (Curio's {@code SocketStream} over an SSL socket),
 * made by {@link TlsSocket#asStream()}: the operations of {@link SocketStream} ({@code read},
 * {@code readall}, {@code readExactly}, {@code readInto}, {@code readline}, {@code readlines},
 * line iteration, {@code write}, {@code writelines}, {@code flush}, {@code close}) with the same
 * line limit ({@link LineTooLongException}) and the same reports of progress on cancellation
 * ({@link PartialIo}). Closing the stream closes the connection.
 *
 * <p>Reads are buffered (a {@link ReadBuffer}) so lines can be split; a cancelled read leaves
 * what it had in that buffer. Same thread rules as the socket: one reader and one writer
 * task of one kernel; fields are touched only by them.
 */
public final class TlsStream implements AutoCloseable, LineStream {

    private static final int MAX_READ = ChannelStream.MAX_READ;

    private final TlsSocket socket;
    private final ReadBuffer buffer = new ReadBuffer();
    private int maxLineLength = ChannelStream.DEFAULT_MAX_LINE;
    private boolean closed;

    TlsStream(TlsSocket socket) {
        this.socket = socket;
    }

    public TlsSocket socket() {
        return socket;
    }

    public int maxLineLength() {
        return maxLineLength;
    }

    /** Sets the longest line {@link #readline()} accepts, newline included; returns this stream. */
    public TlsStream maxLineLength(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxLineLength must be >= 1, was " + max);
        }
        this.maxLineLength = max;
        return this;
    }

    // ---- reading ----

    /** Reads what is available, waiting for at least one byte; empty at end of stream. */
    public byte[] read() throws IOException {
        return read(-1);
    }

    /** Reads up to {@code maxBytes} (any amount if negative), waiting for at least one; empty at end of stream. */
    public byte[] read(int maxBytes) throws IOException {
        if (maxBytes == 0) {
            return new byte[0];
        }
        int avail = buffer.size();
        if (avail > 0) {
            return buffer.take(maxBytes < 0 ? avail : Math.min(avail, maxBytes));
        }
        return live().recv(maxBytes < 0 ? MAX_READ : maxBytes);
    }

    /** Reads to end of stream. If cancelled, {@code PartialIo.of(e).bytesRead()} holds what was read. */
    public byte[] readall() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            byte[] b;
            try {
                b = read(MAX_READ);
            } catch (CancelledError e) {
                throw PartialIo.read(e, all.toByteArray());
            }
            if (b.length == 0) {
                return all.toByteArray();
            }
            all.write(b, 0, b.length);
        }
    }

    /** Reads into {@code dst} until it is full or the stream ends; returns the count. */
    public int readInto(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        int total = buffer.drainInto(dst);
        while (dst.hasRemaining()) {
            int n = live().recvInto(dst);
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Reads one line, newline included; at end of stream, the unterminated rest (empty if none).
     *
     * @throws LineTooLongException if no newline comes within {@link #maxLineLength()} bytes
     */
    public byte[] readline() throws IOException {
        while (true) {
            byte[] line = buffer.line(maxLineLength);
            if (line != null) {
                return line;
            }
            if (!fill(maxLineLength - buffer.size())) {
                return buffer.take(buffer.size());
            }
        }
    }

    // ---- writing ----

    /** Writes all of {@code data}; returns its length. If cancelled, {@code PartialIo.of(e).bytesWritten()}. */
    public int write(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        try {
            live().sendall(data);
        } catch (CancelledError e) {
            throw PartialIo.written(e, PartialIo.of(e).bytesSent());
        }
        return data.length;
    }

    /** Writes every line. If cancelled, {@code PartialIo.of(e).bytesWritten()} counts all bytes written. */
    public void writelines(Iterable<byte[]> lines) throws IOException {
        Objects.requireNonNull(lines, "lines");
        long written = 0;
        for (byte[] line : lines) {
            try {
                write(line);
            } catch (CancelledError e) {
                throw PartialIo.written(e, written + PartialIo.of(e).bytesWritten());
            }
            written += line.length;
        }
    }

    /** Writes are not buffered by the stream (each write ends with its records sent): nothing to flush. */
    public void flush() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Bytes buffered by the stream and not yet read. */
    public int buffered() {
        return buffer.size();
    }

    // ---- buffer ----

    private TlsSocket live() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        return socket;
    }

    /** Reads up to {@code max} more bytes into the buffer, waiting for one; false at end of stream. */
    private boolean fill(int max) throws IOException {
        int n = live().recvInto(buffer.space(Math.min(max, MAX_READ)));
        buffer.filled(n);
        return n > 0;
    }

    @Override
    public String toString() {
        return "TlsStream(" + socket + ")";
    }
}
