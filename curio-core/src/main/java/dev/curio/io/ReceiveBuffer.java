package dev.curio.io;

import dev.curio.kernel.Kernel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.util.Arrays;

/**
 * One direct buffer per kernel that {@link Socket#recv(int)} and {@link ChannelStream#read(int)}
 * read into before copying out exactly what arrived: a receive then allocates only its result,
 * and the channel reads straight into native memory instead of through the JDK's temporary buffer.
 *
 * <p>Sharing is safe because only the task holding the kernel touches the buffer, and each use
 * (clear, read, copy out) happens between two traps: a task that must wait does so before it
 * touches the buffer, never with its data in it.
 */
final class ReceiveBuffer {

    /** The shared buffer's size: one read takes at most this; larger requests gather further reads. */
    static final int SIZE = 64 * 1024;

    private static final Object KEY = new Object();

    private ReceiveBuffer() {}

    /**
     * Receives up to {@code maxBytes} from {@code ch}, waiting for readability first if
     * {@code waitFirst} and whenever nothing is there; an empty array at end of stream (or for 0).
     * Through the calling task's kernel's buffer; a caller outside any task reads into a buffer of
     * its own of at most {@link #SIZE}. Memory follows what arrives, not what was asked: a request
     * over {@link #SIZE} whose first read filled the buffer gathers what else is there at once
     * (without waiting) into an array that doubles as it fills.
     */
    static byte[] receive(SelectableChannel ch, int maxBytes, boolean waitFirst) throws IOException {
        if (maxBytes == 0) {
            return new byte[0];
        }
        Kernel kernel = Kernel.current();
        if (kernel == null) {
            ByteBuffer own = ByteBuffer.allocate(Math.min(maxBytes, SIZE));
            int n = ChannelIo.readSome(ch, own, waitFirst);
            return n <= 0 ? new byte[0] : n == own.capacity() ? own.array() : Arrays.copyOf(own.array(), n);
        }
        ByteBuffer b = kernel.attachment(KEY, () -> ByteBuffer.allocateDirect(SIZE));
        int first = Math.min(maxBytes, SIZE);
        boolean wait = waitFirst;
        while (true) {
            if (wait) {
                ChannelIo.readWait(ch);
            }
            b.clear().limit(first);
            int n = ((ReadableByteChannel) ch).read(b);
            if (n < 0) {
                return new byte[0];
            }
            if (n > 0) {
                return n < first || maxBytes <= SIZE ? copy(b, n) : gather(ch, b, maxBytes);
            }
            wait = true;
        }
    }

    private static byte[] copy(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.flip().get(out);
        return out;
    }

    /** After a full first read of a large request: what else is there now, up to {@code maxBytes}. */
    private static byte[] gather(SelectableChannel ch, ByteBuffer b, int maxBytes) throws IOException {
        byte[] out = new byte[Math.min(maxBytes, 2 * SIZE)];
        b.flip().get(out, 0, SIZE);
        int got = SIZE;
        while (got < maxBytes) {
            if (got == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(maxBytes, 2L * out.length));
            }
            b.clear().limit(Math.min(SIZE, out.length - got));
            int m = ((ReadableByteChannel) ch).read(b);
            if (m <= 0) {
                break; // nothing more yet, or the end, which the next receive reports
            }
            b.flip().get(out, got, m);
            got += m;
        }
        return got == out.length ? out : Arrays.copyOf(out, got);
    }
}
