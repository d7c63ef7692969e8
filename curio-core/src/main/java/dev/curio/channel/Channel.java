package dev.curio.channel;

import dev.curio.io.Socket;
import dev.curio.net.Network;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An endpoint for message passing between processes over TCP (Curio's {@code Channel}): one side
 * {@link #accept}s, the other {@link #connect}s, each gets a {@link Connection}. With an
 * {@code authkey}, both sides prove they hold it before any message is decoded (see
 * {@link Connection}); a client that fails the handshake, or sends garbage, is an exception from
 * that {@code accept} only: the channel stays bound and the next {@code accept} serves the next
 * client. A client that connects and says nothing holds {@code accept} until it gives up, so a
 * server facing untrusted clients should bound it with {@code Curio.timeoutAfter}.
 *
 * <p>Used by tasks of one kernel; not thread-safe.
 */
public final class Channel implements AutoCloseable {

    private InetSocketAddress address;
    private Socket listener;
    private int maxFrame = Connection.DEFAULT_MAX_FRAME;

    /** A channel for {@code host} and {@code port} (port 0 and {@link #bind()}: the system picks one). */
    public Channel(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        this.address = InetSocketAddress.createUnresolved(host, port);
    }

    public Channel(InetSocketAddress address) {
        this.address = Objects.requireNonNull(address, "address");
    }

    /** The address; after {@link #bind()}, the one actually bound (with its port). */
    public InetSocketAddress address() {
        return address;
    }

    public int maxFrame() {
        return maxFrame;
    }

    /** Sets the frame limit of the connections made from now on; returns this channel. */
    public Channel maxFrame(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxFrame must be >= 1, was " + bytes);
        }
        this.maxFrame = bytes;
        return this;
    }

    /** Binds and listens (the first step of {@link #accept}); idempotent. Returns this channel. */
    public Channel bind() throws IOException {
        if (listener == null) {
            listener = Network.tcpServerSocket(address.getHostString(), address.getPort());
            address = (InetSocketAddress) listener.localAddress();
        }
        return this;
    }

    /** Waits for a client, without authentication. */
    public Connection accept() throws IOException {
        return accept(null);
    }

    /**
     * Waits for a client; with an {@code authkey}, runs the handshake as server.
     *
     * @throws AuthenticationError if this client fails it (the channel keeps listening)
     */
    public Connection accept(byte[] authkey) throws IOException {
        bind();
        Socket client = listener.accept();
        return handshake(client, authkey, true);
    }

    /** Connects without authentication. */
    public Connection connect() throws IOException {
        return connect(null);
    }

    /** Connects to the address; with an {@code authkey}, runs the handshake as client. */
    public Connection connect(byte[] authkey) throws IOException {
        Socket s = Network.openConnection(address.getHostString(), address.getPort());
        return handshake(s, authkey, false);
    }

    private Connection handshake(Socket s, byte[] authkey, boolean server) throws IOException {
        Connection c = new Connection(s.asStream()).maxFrame(maxFrame);
        if (authkey != null) {
            try {
                if (server) {
                    c.authenticateServer(authkey);
                } else {
                    c.authenticateClient(authkey);
                }
            } catch (Throwable t) { // a failed or cancelled handshake must not leak the socket
                try {
                    c.close();
                } catch (IOException | RuntimeException e) {
                    t.addSuppressed(e);
                }
                throw t;
            }
        }
        return c;
    }

    /** Stops listening. Idempotent; from a task. */
    @Override
    public void close() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    @Override
    public String toString() {
        return "Channel(" + address + (listener == null ? "" : ", listening") + ")";
    }
}
