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

    /** Receives asking for more than this read into a buffer of their own. */
    static final int SIZE = 64 * 1024;

    private static final Object KEY = new Object();

    private ReceiveBuffer() {}

    /**
     * Receives up to {@code maxBytes} from {@code ch}, waiting for readability first if
     * {@code waitFirst} and whenever nothing is there; an empty array at end of stream (or for 0).
     * Through the calling task's kernel's buffer when it fits, else through a buffer of its own
     * (a request over {@link #SIZE}, or a caller outside any task).
     */
    static byte[] receive(SelectableChannel ch, int maxBytes, boolean waitFirst) throws IOException {
        if (maxBytes == 0) {
            return new byte[0];
        }
        Kernel kernel = Kernel.current();
        if (kernel == null || maxBytes > SIZE) {
            ByteBuffer own = ByteBuffer.allocate(maxBytes);
            int n = ChannelIo.readSome(ch, own, waitFirst);
            return n <= 0 ? new byte[0] : n == maxBytes ? own.array() : Arrays.copyOf(own.array(), n);
        }
        ByteBuffer b = kernel.attachment(KEY, () -> ByteBuffer.allocateDirect(SIZE));
        boolean wait = waitFirst;
        while (true) {
            if (wait) {
                ChannelIo.readWait(ch);
            }
            b.clear().limit(maxBytes);
            int n = ((ReadableByteChannel) ch).read(b);
            if (n < 0) {
                return new byte[0];
            }
            if (n > 0) {
                byte[] out = new byte[n];
                b.flip().get(out);
                return out;
            }
            wait = true;
        }
    }
}
