package dev.curio.io;

import dev.curio.kernel.Kernel;
import java.nio.ByteBuffer;

/**
 * One direct buffer per kernel that {@link Socket#recv(int)} reads into before copying out exactly
 * what arrived: a receive then allocates only its result, and the channel reads straight into
 * native memory instead of through the JDK's temporary buffer.
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

    /** The calling task's kernel's buffer, cleared and limited to {@code maxBytes} (at most {@link #SIZE}). */
    static ByteBuffer forRead(Kernel kernel, int maxBytes) {
        ByteBuffer b = kernel.attachment(KEY, () -> ByteBuffer.allocateDirect(SIZE));
        b.clear().limit(maxBytes);
        return b;
    }
}
