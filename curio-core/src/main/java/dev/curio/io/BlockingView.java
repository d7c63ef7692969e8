package dev.curio.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Blocking access to a socket's channel for synchronous code (Curio's {@code Socket.blocking()}).
 * Each operation blocks the calling thread until it completes, so called from a task it stalls
 * the whole kernel, exactly as in Curio; hand the view to another thread when that matters.
 *
 * <p>The channel stays in non-blocking mode (NIO forbids blocking mode while the kernel's selector
 * holds a registration): the view waits on a private selector of its own. One thread at a time;
 * {@link #close()} releases the private selector and leaves the socket open.
 */
public final class BlockingView implements AutoCloseable {

    private final SelectableChannel channel;
    private Selector selector;

    BlockingView(SelectableChannel channel) {
        this.channel = channel;
    }

    /** Reads at least one byte into {@code dst} (blocking); -1 at end of stream. */
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (true) {
            int n = ((ReadableByteChannel) channel).read(dst);
            if (n != 0) {
                return n;
            }
            await(SelectionKey.OP_READ);
        }
    }

    /** Writes all of {@code src} (blocking). */
    public void writeAll(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        while (src.hasRemaining()) {
            if (((WritableByteChannel) channel).write(src) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    /** A blocking input stream over the socket; closing it does not close the socket. */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : BlockingView.this.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /** A blocking output stream over the socket; closing it does not close the socket. */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writeAll(ByteBuffer.wrap(new byte[] {(byte) b}));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                writeAll(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    private void await(int op) throws IOException {
        if (selector == null) {
            selector = Selector.open();
        }
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            key = channel.register(selector, op);
        } else {
            key.interestOps(op);
        }
        selector.select();
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        if (selector != null) {
            selector.close();
            selector = null;
        }
    }
}
