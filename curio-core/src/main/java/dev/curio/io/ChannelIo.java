package dev.curio.io;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Trap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The one pattern every blocking operation of this package follows, as Curio's io.py does: try
 * the non-blocking call; if it would block, wait in the kernel (a read-wait or write-wait trap,
 * where cancellation and timeouts are delivered) and try again. A cancelled wait leaves the
 * channel open and registered, so it stays usable.
 *
 * <p>Stateless; call from a task of the kernel whose selector the channel is waited on.
 */
final class ChannelIo {

    private ChannelIo() {}

    /** Suspends the calling task until {@code ch} is readable (or acceptable). */
    static void readWait(SelectableChannel ch) throws ClosedChannelException {
        try {
            Kernel.trap(new Trap.ReadWait(ch));
        } catch (UncheckedIOException e) {
            throw closed(e);
        }
    }

    /** Suspends the calling task until {@code ch} is writable (or connected). */
    static void writeWait(SelectableChannel ch) throws ClosedChannelException {
        try {
            Kernel.trap(new Trap.WriteWait(ch));
        } catch (UncheckedIOException e) {
            throw closed(e);
        }
    }

    private static ClosedChannelException closed(UncheckedIOException e) {
        if (e.getCause() instanceof ClosedChannelException c) {
            return c;
        }
        throw e;
    }

    /** Reads at least one byte into {@code dst}, waiting if none is available; -1 at end of stream. */
    static int readSome(SelectableChannel ch, ByteBuffer dst) throws IOException {
        return readSome(ch, dst, false);
    }

    /**
     * {@link #readSome(SelectableChannel, ByteBuffer)}, waiting for readability before the first
     * read if {@code waitFirst}. Callers pass whether their previous read drained the channel
     * (left room in its buffer): a reader that answered its peer and reads again (an echo, a
     * request-response protocol) almost always finds nothing yet, and that failed read is a system
     * call per message for nothing; the kernel's selector learns readiness for every waiting
     * channel in one call. A reader whose last read filled its buffer reads at once, as Curio does.
     */
    static int readSome(SelectableChannel ch, ByteBuffer dst, boolean waitFirst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (waitFirst) {
            readWait(ch);
        }
        while (true) {
            int n = ((ReadableByteChannel) ch).read(dst);
            if (n != 0) {
                return n;
            }
            readWait(ch);
        }
    }

    /** Writes at least one byte of {@code src}, waiting while the channel is full. */
    static int writeSome(SelectableChannel ch, ByteBuffer src) throws IOException {
        if (!src.hasRemaining()) {
            return 0;
        }
        while (true) {
            int n = ((WritableByteChannel) ch).write(src);
            if (n != 0) {
                return n;
            }
            writeWait(ch);
        }
    }

    /** Forgets the kernel's registration of {@code ch} (from a task), then closes it. */
    static void release(SelectableChannel ch) throws IOException {
        if (!ch.isOpen()) {
            return; // already released and closed (a socket and its stream both close it)
        }
        if (Kernel.currentTask() != null) {
            Kernel.trap(new Trap.IoRelease(ch));
        } else if (ch.isRegistered()) {
            throw new dev.curio.AsyncOnlyError(
                    "a channel waited on by a kernel must be closed from a task of that kernel: " + ch);
        }
        ch.close();
    }
}
