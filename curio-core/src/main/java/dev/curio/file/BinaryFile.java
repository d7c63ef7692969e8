package dev.curio.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A file opened in binary mode by {@link AsyncFile#aopenBinary}: reads return bytes. Same thread
 * rules as {@link AsyncFile}.
 */
public final class BinaryFile extends AsyncFile<byte[]> {

    BinaryFile(Path path, OpenMode mode, FileChannel channel) {
        super(path, mode, channel);
    }

    /** Reads to end of file. */
    public byte[] read() throws IOException {
        return readall();
    }

    /** Reads up to {@code n} bytes (all if negative); fewer only at end of file; empty at end of file. */
    public byte[] read(int n) throws IOException {
        return io("read", ch -> readBytes(ch, n));
    }

    /** Reads up to {@code n} bytes with at most one read of the operating system (Python's {@code read1}). */
    public byte[] read1(int n) throws IOException {
        if (n < 0) {
            n = CHUNK;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        int got = readinto1(b);
        return Arrays.copyOf(b.array(), got);
    }

    /** Fills {@code dst} from the file until it is full or the file ends; returns the count, 0 at end of file. */
    public int readinto(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        return io("readinto", ch -> {
            requireReadable();
            int total = 0;
            while (dst.hasRemaining()) {
                int r = ch.read(dst);
                if (r < 0) {
                    break;
                }
                total += r;
            }
            return total;
        });
    }

    /** {@link #readinto(ByteBuffer)} on {@code buf}. */
    public int readinto(byte[] buf) throws IOException {
        return readinto(ByteBuffer.wrap(Objects.requireNonNull(buf, "buf")));
    }

    /** Reads into {@code dst} with at most one read of the operating system; returns the count, 0 at end of file. */
    public int readinto1(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        return io("readinto1", ch -> {
            requireReadable();
            return Math.max(0, ch.read(dst));
        });
    }

    public int readinto1(byte[] buf) throws IOException {
        return readinto1(ByteBuffer.wrap(Objects.requireNonNull(buf, "buf")));
    }

    @Override
    public byte[] readall() throws IOException {
        return io("readall", ch -> readBytes(ch, -1));
    }

    @Override
    public byte[] readline() throws IOException {
        return readline(-1);
    }

    /** One line of at most {@code limit} bytes (any length if negative), newline included; empty at end of file. */
    public byte[] readline(int limit) throws IOException {
        return io("readline", ch -> lineBytes(ch, limit));
    }

    @Override
    public int write(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        byte[] copy = data.clone(); // the worker writes later: later changes by the caller must not show
        io("write", ch -> {
            writeAll(ch, copy);
            return null;
        });
        return copy.length;
    }

    @Override
    byte[] fromBytes(byte[] b) {
        return b;
    }

    @Override
    byte[] toBytes(byte[] data) {
        return data.clone();
    }

    @Override
    boolean isEmpty(byte[] data) {
        return data.length == 0;
    }
}
