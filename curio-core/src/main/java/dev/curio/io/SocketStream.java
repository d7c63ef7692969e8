package dev.curio.io;

import java.io.IOException;

/**
 * A {@link ChannelStream} over a {@link Socket} (Curio's {@code SocketStream}), made by
 * {@link Socket#asStream()}. Closing the stream closes the socket. Same thread rules as the socket.
 */
public final class SocketStream extends ChannelStream {

    private final Socket socket;

    SocketStream(Socket socket) {
        super(socket.channel(), socket.channel());
        this.socket = socket;
    }

    /** The socket under this stream. */
    public Socket socket() {
        return socket;
    }

    /**
     * Blocking access for synchronous code, as {@link Socket#blocking()}.
     *
     * @throws IOException if unread data is buffered in the stream (it would be lost to the view)
     */
    public BlockingView blocking() throws IOException {
        if (hasBuffered()) {
            throw new IOException("There is unread buffered data.");
        }
        return socket.blocking();
    }

    @Override
    public SocketStream maxLineLength(int max) {
        super.maxLineLength(max);
        return this;
    }

    @Override
    public void close() throws IOException {
        if (isClosed()) {
            return;
        }
        super.close();
        socket.markClosed();
    }

    @Override
    public String toString() {
        return "SocketStream(" + socket + ")";
    }
}
