package dev.curio.io;

import dev.curio.CancelledError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * A buffered byte stream over non-blocking channels whose waits are kernel traps (Curio's
 * {@code StreamBase}/{@code FileStream}): one channel to read from and one to write to, which
 * may be the same (a socket, see {@link SocketStream}) or two ends of something else (a
 * {@link java.nio.channels.Pipe}). Reads are buffered so that lines can be split; writes are
 * not buffered, so {@link #flush()} has nothing to do. Iterating over the stream yields its lines.
 *
 * <p>Lines are bounded: {@link #readline()} fails with {@link LineTooLongException} once a line
 * would exceed {@link #maxLineLength()} bytes (64 KiB unless set), so a peer cannot make the
 * stream buffer without end. Cancelled reads and writes report their progress through
 * {@link PartialIo}; a cancelled read loses nothing (what was read stays buffered or is reported).
 *
 * <p>Used by the tasks of one kernel, one reader and one writer at a time; all fields are touched
 * only by those tasks.
 */
public class ChannelStream implements AutoCloseable, LineStream {

    /** The default {@link #maxLineLength()}: 64 KiB, as asyncio's stream limit. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;
    static final int MAX_READ = 64 * 1024;

    private final SelectableChannel in;
    private final SelectableChannel out;
    private final ReadBuffer buffer = new ReadBuffer();
    private int maxLineLength = DEFAULT_MAX_LINE;
    private boolean closed;
    /** Whether the last read from the channel left room in its buffer (see ChannelIo.readSome). */
    private boolean drained;

    /**
     * A stream reading {@code in} and writing {@code out} (either may be null for a one-way
     * stream); both must be readable/writable {@link SelectableChannel}s. They are made
     * non-blocking and closed by {@link #close()}.
     */
    public ChannelStream(SelectableChannel in, SelectableChannel out) {
        if (in == null && out == null) {
            throw new IllegalArgumentException("in and out must not both be null");
        }
        if (in != null && !(in instanceof ReadableByteChannel)) {
            throw new IllegalArgumentException("in must be a readable channel, was " + in.getClass().getName());
        }
        if (out != null && !(out instanceof WritableByteChannel)) {
            throw new IllegalArgumentException("out must be a writable channel, was " + out.getClass().getName());
        }
        try {
            if (in != null) {
                in.configureBlocking(false);
            }
            if (out != null) {
                out.configureBlocking(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the stream's channels non-blocking", e);
        }
        this.in = in;
        this.out = out;
    }

    /** The longest line {@link #readline()} accepts, newline included. */
    public int maxLineLength() {
        return maxLineLength;
    }

    /** Sets {@link #maxLineLength()}; returns this stream. */
    public ChannelStream maxLineLength(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxLineLength must be >= 1, was " + max);
        }
        this.maxLineLength = max;
        return this;
    }

    // ---- reading ----

    /** Reads what is available, waiting for at least one byte; an empty array at end of stream. */
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
        int want = maxBytes < 0 ? MAX_READ : maxBytes;
        byte[] data = ReceiveBuffer.receive(reader(), want, drained);
        drained = data.length < want;
        return data;
    }

    /** Reads to end of stream. If cancelled, {@code PartialIo.of(e).bytesRead()} holds what was read. */
    public byte[] readall() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(buffer.take(buffer.size()));
        int chunk = MAX_READ;
        while (true) {
            byte[] b;
            try {
                b = read(chunk);
            } catch (CancelledError e) {
                throw PartialIo.read(e, all.toByteArray());
            }
            if (b.length == 0) {
                return all.toByteArray();
            }
            all.write(b, 0, b.length);
            if (b.length == chunk && chunk < 16 * MAX_READ) {
                chunk *= 2;
            }
        }
    }

    /** Reads into {@code dst} until it is full or the stream ends (Curio's {@code readinto}); returns the count. */
    public int readInto(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        int total = buffer.drainInto(dst);
        while (dst.hasRemaining()) {
            int n = ChannelIo.readSome(reader(), dst, drained);
            drained = dst.hasRemaining();
            if (n < 0) {
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
            if (fill(maxLineLength - buffer.size()) < 0) {
                return buffer.take(buffer.size());
            }
        }
    }

    // ---- writing ----

    /** Writes all of {@code data}; returns its length. If cancelled, {@code PartialIo.of(e).bytesWritten()}. */
    public int write(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        ByteBuffer b = ByteBuffer.wrap(data);
        SelectableChannel w = writer();
        int written = 0;
        try {
            while (b.hasRemaining()) {
                written += ChannelIo.writeSome(w, b);
            }
        } catch (CancelledError e) {
            throw PartialIo.written(e, written);
        }
        return written;
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

    /** Writes are not buffered: nothing to flush. Kept for Curio's API. */
    public void flush() throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    /** Closes the channels (releasing the kernel's registrations first). Idempotent; from a task. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (in != null) {
                ChannelIo.release(in);
            }
        } finally {
            if (out != null && out != in) {
                ChannelIo.release(out);
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Bytes buffered and not yet read. */
    public int buffered() {
        return buffer.size();
    }

    // ---- buffer ----

    SelectableChannel reader() throws IOException {
        if (in == null) {
            throw new UnsupportedOperationException("this stream is write-only");
        }
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return in;
    }

    SelectableChannel writer() throws IOException {
        if (out == null) {
            throw new UnsupportedOperationException("this stream is read-only");
        }
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return out;
    }

    /** Reads up to {@code max} more bytes into the buffer, waiting for one; -1 at end of stream. */
    private int fill(int max) throws IOException {
        ByteBuffer into = buffer.space(Math.min(max, MAX_READ));
        int n = ChannelIo.readSome(reader(), into, drained);
        drained = into.hasRemaining();
        if (n > 0) {
            buffer.filled(n);
        }
        return n;
    }

    boolean hasBuffered() {
        return buffer.size() > 0;
    }
}
