package dev.curio.file;

import dev.curio.Block;
import dev.curio.SyncIOError;
import dev.curio.kernel.Kernel;
import dev.curio.workers.Workers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A file whose operations never stall the kernel (Curio's {@code AsyncFile} from {@code aopen}):
 * each one runs on the kernel's worker threads ({@link Workers#runInThread}) while the calling
 * task waits and other tasks run. {@link #aopen(Path, String)} gives a {@link TextFile} (strings),
 * {@link #aopenBinary(Path, String)} a {@link BinaryFile} (bytes); Java cannot let the mode string
 * pick the return type, so the two modes have two factory names.
 *
 * <p>Every operation must be called from a task; from any other thread it raises
 * {@link SyncIOError} (Curio's synchronous-use error): plain threads use {@link #blocking()}.
 * Iterating over the file yields its lines, read as the iteration proceeds.
 *
 * <p>There is no user-space buffer: each operation reads or writes the channel at its position
 * and leaves the position just after what it consumed, so {@link #tell()} is always exact and
 * {@link #blocking()} shares the position. Operations on one file run one at a time under
 * {@code lock}, held by the worker thread. A cancelled caller returns at once (as everywhere with
 * worker threads); its operation still completes in the worker, so a cancelled write may have
 * happened and a cancelled read has moved the position. {@code closed} is written under the lock
 * by a worker and read by tasks.
 */
public abstract sealed class AsyncFile<T> implements AutoCloseable, Iterable<T> permits TextFile, BinaryFile {

    static final int CHUNK = 8192;

    private final Path path;
    private final OpenMode mode;
    private final FileChannel channel;
    private final Object lock = new Object();
    private volatile boolean closed;

    AsyncFile(Path path, OpenMode mode, FileChannel channel) {
        this.path = path;
        this.mode = mode;
        this.channel = channel;
    }

    // ---- opening ----

    /** Opens {@code path} in a text {@code mode} ("r", "w", "a", "x", with "+" or "t") as UTF-8; from a task. */
    public static TextFile aopen(Path path, String mode) throws IOException {
        return aopen(path, mode, StandardCharsets.UTF_8);
    }

    /** As {@link #aopen(Path, String)} with an explicit {@code charset}. */
    public static TextFile aopen(Path path, String mode, Charset charset) throws IOException {
        Objects.requireNonNull(charset, "charset");
        OpenMode m = OpenMode.parse(mode);
        if (m.binary()) {
            throw new IllegalArgumentException("mode \"" + mode + "\" is binary: open it with aopenBinary");
        }
        TextFile.checkCharset(charset);
        return new TextFile(checkPath(path), m, open(path, m, "aopen"), charset);
    }

    public static TextFile aopen(String path, String mode) throws IOException {
        return aopen(Path.of(Objects.requireNonNull(path, "path")), mode);
    }

    /** Opens {@code path} in a binary {@code mode} ("rb", "wb", "ab", "xb", with "+"; the "b" may be left out); from a task. */
    public static BinaryFile aopenBinary(Path path, String mode) throws IOException {
        OpenMode m = OpenMode.parse(mode);
        if (mode.indexOf('t') >= 0) {
            throw new IllegalArgumentException("mode \"" + mode + "\" is text: open it with aopen");
        }
        return new BinaryFile(checkPath(path), m, open(path, m, "aopenBinary"));
    }

    public static BinaryFile aopenBinary(String path, String mode) throws IOException {
        return aopenBinary(Path.of(Objects.requireNonNull(path, "path")), mode);
    }

    private static FileChannel open(Path path, OpenMode m, String what) throws IOException {
        checkTask(what);
        return Workers.runInThread(() -> FileChannel.open(path, m.options()));
    }

    private static Path checkPath(Path path) {
        return Objects.requireNonNull(path, "path");
    }

    // ---- common operations ----

    /**
     * Moves to {@code offset} from the start (whence 0), the current position (1) or the end (2);
     * returns the new position. Text files seek by byte position too.
     */
    public long seek(long offset, int whence) throws IOException {
        if (whence < 0 || whence > 2) {
            throw new IllegalArgumentException("whence must be 0, 1 or 2, was " + whence);
        }
        return io("seek", ch -> {
            long base = whence == 0 ? 0 : whence == 1 ? ch.position() : ch.size();
            long to = base + offset;
            if (to < 0) {
                throw new IOException("Invalid argument: negative seek position " + to);
            }
            ch.position(to);
            return to;
        });
    }

    /** Moves to byte {@code offset}; returns it. */
    public long seek(long offset) throws IOException {
        return seek(offset, 0);
    }

    /** The current byte position. */
    public long tell() throws IOException {
        return io("tell", FileChannel::position);
    }

    /** Cuts the file to the current position; the position does not move. Returns the new size. */
    public long truncate() throws IOException {
        return io("truncate", ch -> truncate(ch, ch.position()));
    }

    /** Cuts (or extends) the file to {@code size} bytes; the position does not move. Returns {@code size}. */
    public long truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        return io("truncate", ch -> truncate(ch, size));
    }

    private long truncate(FileChannel ch, long size) throws IOException {
        requireWritable();
        long pos = ch.position();
        if (size < ch.size()) {
            ch.truncate(size);
        } else if (size > ch.size()) {
            ch.write(ByteBuffer.allocate(1), size - 1); // extend with a zero byte, as ftruncate does
        }
        ch.position(pos); // Python's truncate leaves the position alone; NIO's would clamp it
        return size;
    }

    /** Writes reach the operating system at once (there is no buffer); checks that the file is open. */
    public void flush() throws IOException {
        io("flush", ch -> null);
    }

    /** Closes the file (in a worker thread). Idempotent; from a task. */
    @Override
    public void close() throws IOException {
        checkTask("close");
        if (closed) {
            return;
        }
        Workers.runInThread(() -> {
            synchronized (lock) {
                closed = true;
                channel.close();
            }
            return null;
        });
    }

    public boolean closed() {
        return closed;
    }

    /**
     * The raw channel for synchronous code (Curio's {@code blocking()}): it shares the position
     * with this file. Its calls block the calling thread, so use it from a plain thread or accept
     * that a task using it stalls its kernel.
     */
    public FileChannel blocking() {
        return channel;
    }

    public Path path() {
        return path;
    }

    public String mode() {
        return mode.text();
    }

    // ---- lines ----

    /** One line, newline included; empty at end of file. */
    public abstract T readline() throws IOException;

    /** The remaining lines. */
    public List<T> readlines() throws IOException {
        return io("readlines", ch -> {
            List<T> lines = new ArrayList<>();
            for (byte[] l = lineBytes(ch, -1); l.length > 0; l = lineBytes(ch, -1)) {
                lines.add(fromBytes(l));
            }
            return lines;
        });
    }

    /** Writes each of {@code lines} (no separators are added). */
    public void writelines(Iterable<T> lines) throws IOException {
        Objects.requireNonNull(lines, "lines");
        List<byte[]> all = new ArrayList<>();
        for (T l : lines) {
            all.add(toBytes(Objects.requireNonNull(l, "line")));
        }
        io("writelines", ch -> {
            for (byte[] b : all) {
                writeAll(ch, b);
            }
            return null;
        });
    }

    /** Writes all of {@code data}; returns its length (characters for text, bytes for binary). */
    public abstract int write(T data) throws IOException;

    /** Reads to end of file (Curio's {@code readall}). */
    public abstract T readall() throws IOException;

    /**
     * The lines of the file, read as the iteration proceeds ({@code async for line in f}); from a
     * task, else {@link SyncIOError}. An I/O error surfaces as {@link UncheckedIOException}.
     */
    @Override
    public Iterator<T> iterator() {
        checkTask("iteration");
        return new dev.curio.io.LineIterator<>(this::readline, this::isEmpty);
    }

    abstract T fromBytes(byte[] b) throws IOException;

    abstract byte[] toBytes(T data) throws IOException;

    abstract boolean isEmpty(T data);

    // ---- machinery for the subclasses (run inside io, on a worker thread, under the lock) ----

    /** An operation on the channel, run by a worker thread under the file's lock. */
    @FunctionalInterface
    interface Op<R> {
        R run(FileChannel ch) throws IOException;
    }

    <R> R io(String what, Op<R> op) throws IOException {
        checkTask(what);
        if (closed) {
            throw new ClosedChannelException();
        }
        Block<R, IOException> work = () -> {
            synchronized (lock) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                return op.run(channel);
            }
        };
        return Workers.runInThread(work);
    }

    static void checkTask(String what) {
        if (Kernel.currentTask() == null) {
            throw new SyncIOError("AsyncFile " + what + " must be called from a Curio task"
                    + " (plain threads use blocking() for the raw file)");
        }
    }

    void requireReadable() throws IOException {
        if (!mode.readable()) {
            throw new IOException("not readable: file opened with mode \"" + mode.text() + "\"");
        }
    }

    void requireWritable() throws IOException {
        if (!mode.writable()) {
            throw new IOException("not writable: file opened with mode \"" + mode.text() + "\"");
        }
    }

    /** Reads until {@code n} bytes (all if negative) or end of file. */
    byte[] readBytes(FileChannel ch, long n) throws IOException {
        requireReadable();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        long left = n < 0 ? Long.MAX_VALUE : n;
        while (left > 0) {
            b.clear().limit((int) Math.min(CHUNK, left));
            int r = ch.read(b);
            if (r < 0) {
                break;
            }
            out.write(b.array(), 0, r);
            left -= r;
        }
        return out.toByteArray();
    }

    /** Reads one line of at most {@code limit} bytes (any length if negative), leaving the position after it. */
    byte[] lineBytes(FileChannel ch, int limit) throws IOException {
        requireReadable();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        long pos = ch.position();
        while (limit < 0 || out.size() < limit) {
            b.clear();
            if (limit >= 0) {
                b.limit(Math.min(CHUNK, limit - out.size()));
            }
            int r = ch.read(b, pos);
            if (r <= 0) {
                break;
            }
            int take = r;
            for (int i = 0; i < r; i++) {
                if (b.get(i) == '\n') {
                    take = i + 1;
                    break;
                }
            }
            out.write(b.array(), 0, take);
            pos += take;
            if (take < r || b.get(take - 1) == '\n') {
                break;
            }
        }
        ch.position(pos);
        return out.toByteArray();
    }

    void writeAll(FileChannel ch, byte[] data) throws IOException {
        requireWritable();
        if (mode.append()) {
            ch.position(ch.size());
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + path + ", mode=\"" + mode.text() + "\"" + (closed ? ", closed" : "") + ")";
    }
}
