package dev.curio.io;

import java.util.List;

/**
 * How far an I/O operation got before it was cancelled (Curio's {@code bytes_sent},
 * {@code bytes_written}, {@code bytes_read} and {@code lines_read} exception attributes).
 *
 * <p>Java cannot add a field to an exception in flight, and a cancellation must keep its own type
 * and identity (timeout scopes recognise their {@code TaskTimeout}). So the operation attaches a
 * {@code PartialIo} to the cancellation as a suppressed exception, which also shows in its stack
 * trace; {@link #of(Throwable)} finds it:
 *
 * <pre>{@code
 * try {
 *     sock.sendall(data);
 * } catch (CancelledError e) {
 *     long sent = PartialIo.of(e).bytesSent();
 *     throw e;
 * }
 * }</pre>
 *
 * <p>Immutable; safe from any thread.
 */
public final class PartialIo extends RuntimeException {

    private final long bytesSent;
    private final long bytesWritten;
    private final byte[] bytesRead;
    private final List<byte[]> linesRead;

    private PartialIo(String message, long bytesSent, long bytesWritten, byte[] bytesRead, List<byte[]> linesRead) {
        super(message, null, false, false);
        this.bytesSent = bytesSent;
        this.bytesWritten = bytesWritten;
        this.bytesRead = bytesRead;
        this.linesRead = linesRead;
    }

    static <T extends Throwable> T sent(T exc, long n) {
        exc.addSuppressed(new PartialIo("sendall interrupted after " + n + " bytes sent", n, 0, null, null));
        return exc;
    }

    static <T extends Throwable> T written(T exc, long n) {
        exc.addSuppressed(new PartialIo("write interrupted after " + n + " bytes written", 0, n, null, null));
        return exc;
    }

    static <T extends Throwable> T read(T exc, byte[] data) {
        exc.addSuppressed(new PartialIo("read interrupted after " + data.length + " bytes read", 0, 0,
                data.clone(), null));
        return exc;
    }

    static <T extends Throwable> T lines(T exc, List<byte[]> lines) {
        exc.addSuppressed(new PartialIo("readlines interrupted after " + lines.size() + " lines read", 0, 0,
                null, List.copyOf(lines)));
        return exc;
    }

    /**
     * The record attached to {@code exc} by the interrupted operation (the last one if several).
     *
     * @throws IllegalArgumentException if {@code exc} is null or carries no record
     */
    public static PartialIo of(Throwable exc) {
        if (exc == null) {
            throw new IllegalArgumentException("exc must not be null");
        }
        Throwable[] s = exc.getSuppressed();
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i] instanceof PartialIo p) {
                return p;
            }
        }
        throw new IllegalArgumentException("exception carries no partial I/O record: " + exc);
    }

    /** Bytes a cancelled {@code sendall} had sent. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Bytes a cancelled {@code write} or {@code writelines} had written. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Bytes a cancelled or incomplete {@code readall} / {@code readExactly} had read (a copy). */
    public byte[] bytesRead() {
        return bytesRead == null ? new byte[0] : bytesRead.clone();
    }

    /** Lines a cancelled {@code readlines} had read. */
    public List<byte[]> linesRead() {
        return linesRead == null ? List.of() : linesRead;
    }
}
