package dev.curio.io;

import dev.curio.CancelledError;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection over a connected {@link Socket} (Curio's socket wrapped by its {@code ssl}
 * module): the same operations as a socket ({@code recv}, {@code recvInto}, {@code send},
 * {@code sendall}, {@code shutdown}, {@code close}, {@link #asStream()}), carried by an
 * {@link SSLEngine} whose every wait is a kernel trap. A cancelled or timed-out operation leaves
 * the connection usable, as far as TLS allows: a cancelled read loses nothing; a cancelled write
 * has committed whole TLS records, which the next write (or close) sends before anything else;
 * a cancelled handshake resumes where it stopped when called again.
 *
 * <p>The handshake runs on {@link #doHandshake()} or, if that was not called, on the first read
 * or write. A client checks the server's certificate against its trust store and the
 * {@code serverHostname} (RFC 2818 rules, as Python's {@code check_hostname}); both sides may
 * offer ALPN protocols ({@link #selectedAlpnProtocol()}).
 *
 * <p>Thread rules as {@link Socket}: the tasks of one kernel, one reader and one writer at a time
 * (a second waiting reader gets {@link dev.curio.ReadResourceBusy}); state lives in
 * {@link TlsEngineIo}.
 *
 * <p>Divergences from Curio: there is no {@code blocking()} view (the TLS records need the
 * engine); {@link #shutdown} sends close_notify before shutting the socket down; a read at the
 * end of the connection returns an empty result whether or not the peer sent close_notify
 * (Python's {@code suppress_ragged_eofs}, on by default).
 */
public final class TlsSocket implements AutoCloseable {

    private final Socket socket;
    private final TlsEngineIo io;
    private boolean closed;

    private TlsSocket(Socket socket, SSLEngine engine) {
        if (!(socket.channel() instanceof SocketChannel sc)) {
            throw new IllegalArgumentException("socket must be a stream socket, was " + socket);
        }
        this.socket = socket;
        this.io = new TlsEngineIo(engine, sc);
    }

    /**
     * The client side of TLS over the connected {@code socket}, checking the server's certificate
     * for {@code serverHostname} (also sent as SNI unless it is an IP address).
     *
     * @param alpnProtocols the protocols to offer, most preferred first (none if null or empty)
     */
    public static TlsSocket client(Socket socket, SSLContext context, String serverHostname,
            List<String> alpnProtocols) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(context, "context");
        if (serverHostname == null || serverHostname.isEmpty()) {
            throw new IllegalArgumentException("serverHostname must be given: the server's certificate is "
                    + "checked against it");
        }
        SSLEngine engine = context.createSSLEngine(serverHostname, port(socket));
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(serverHostname)) {
            p.setServerNames(List.of(new SNIHostName(serverHostname)));
        }
        setAlpn(p, alpnProtocols);
        engine.setSSLParameters(p);
        return new TlsSocket(socket, engine);
    }

    /**
     * The server side of TLS over the accepted {@code socket}; {@code context} holds the server's
     * key and certificate (see {@link SslContexts#server}).
     *
     * @param alpnProtocols the protocols this server speaks, most preferred first (none if null or empty);
     *     a client offering only others is refused
     */
    public static TlsSocket server(Socket socket, SSLContext context, List<String> alpnProtocols) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(context, "context");
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        setAlpn(p, alpnProtocols);
        engine.setSSLParameters(p);
        return new TlsSocket(socket, engine);
    }

    private static void setAlpn(SSLParameters p, List<String> alpnProtocols) {
        if (alpnProtocols != null && !alpnProtocols.isEmpty()) {
            for (String a : alpnProtocols) {
                if (a == null || a.isEmpty()) {
                    throw new IllegalArgumentException("alpnProtocols must not hold null or empty names: " + alpnProtocols);
                }
            }
            p.setApplicationProtocols(alpnProtocols.toArray(String[]::new));
        }
    }

    private static int port(Socket socket) {
        try {
            return socket.remoteAddress() instanceof java.net.InetSocketAddress a ? a.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    // ---- handshake and session ----

    /** Runs the TLS handshake now (Curio's {@code do_handshake}); returns at once if it is done. */
    public void doHandshake() throws IOException {
        checkOpen();
        io.handshake();
    }

    /** The ALPN protocol agreed on, or null if none was (or the handshake has not finished). */
    public String selectedAlpnProtocol() {
        String p = io.engine.getApplicationProtocol();
        return p == null || p.isEmpty() ? null : p;
    }

    /** The TLS session (protocol, cipher suite, peer certificates); complete after the handshake. */
    public SSLSession session() {
        return io.engine.getSession();
    }

    /** The negotiated protocol version, e.g. "TLSv1.3" (Curio's {@code version()}). */
    public String version() {
        return session().getProtocol();
    }

    /** The engine, for settings this class does not expose. Do not wrap or unwrap through it. */
    public SSLEngine engine() {
        return io.engine;
    }

    // ---- receiving ----

    /** Receives up to {@code maxBytes} of plaintext, waiting for some; an empty array at end of stream. */
    public byte[] recv(int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        ByteBuffer b = ByteBuffer.allocate(maxBytes);
        recvInto(b);
        return b.position() == b.capacity() ? b.array() : Arrays.copyOf(b.array(), b.position());
    }

    /** Receives into {@code dst}'s remaining space, waiting for at least one byte; 0 at end of stream. */
    public int recvInto(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        checkOpen();
        return Math.max(io.read(dst), 0);
    }

    /** {@link #recvInto(ByteBuffer)} into {@code buf[off, off + len)}. */
    public int recvInto(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, Objects.requireNonNull(buf, "buf").length);
        return recvInto(ByteBuffer.wrap(buf, off, len));
    }

    /** Plaintext already decrypted and not yet received (Curio's {@code pending()}). */
    public int pending() {
        return io.buffered();
    }

    // ---- sending ----

    /** Sends some of {@code data} (at most one TLS record); returns the count. */
    public int send(byte[] data) throws IOException {
        return send(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /** Sends some of {@code src}'s remaining bytes (advancing its position); returns the count. */
    public int send(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOpen();
        if (!src.hasRemaining()) {
            return 0;
        }
        int n = io.wrapSome(src);
        io.flush();
        return n;
    }

    /**
     * Sends all of {@code data}. If cancelled (or timed out), {@code PartialIo.of(e).bytesSent()}
     * counts the bytes committed to TLS records; any of those not yet on the wire go out first
     * with the next write on this connection.
     */
    public void sendall(byte[] data) throws IOException {
        sendall(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /** {@link #sendall(byte[])} of {@code src}'s remaining bytes. */
    public void sendall(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOpen();
        long total = 0;
        try {
            while (src.hasRemaining()) {
                total += io.wrapSome(src);
                io.flush();
            }
        } catch (CancelledError e) {
            throw PartialIo.sent(e, total);
        }
    }

    // ---- closing ----

    /**
     * Shuts down writing ({@code SHUT_WR}, {@code SHUT_RDWR}: sends close_notify first, so the peer
     * reads an end of stream), reading, or both; the socket stays open.
     */
    public void shutdown(Socket.How how) throws IOException {
        Objects.requireNonNull(how, "how");
        checkOpen();
        if (how != Socket.How.SHUT_RD) {
            io.closeOutbound();
        }
        socket.shutdown(how);
    }

    /**
     * Sends what is pending and close_notify if the socket takes them without waiting, then closes
     * the socket. Idempotent; from a task.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!socket.isClosed()) {
            io.closeQuietly();
        }
        socket.close();
    }

    public boolean isClosed() {
        return closed || socket.isClosed();
    }

    private void checkOpen() throws ClosedChannelException {
        if (isClosed()) {
            throw new ClosedChannelException();
        }
    }

    // ---- the socket underneath ----

    /** A stream over this connection (Curio's {@code as_stream()}); closing the stream closes it. */
    public TlsStream asStream() {
        return new TlsStream(this);
    }

    /** The TCP socket under TLS. Reading or writing it directly breaks the TLS connection. */
    public Socket socket() {
        return socket;
    }

    public SocketAddress localAddress() throws IOException {
        return socket.localAddress();
    }

    public SocketAddress remoteAddress() throws IOException {
        return socket.remoteAddress();
    }

    public <T> TlsSocket setOption(SocketOption<T> option, T value) throws IOException {
        socket.setOption(option, value);
        return this;
    }

    public <T> T getOption(SocketOption<T> option) throws IOException {
        return socket.getOption(option);
    }

    @Override
    public String toString() {
        return "TlsSocket(" + socket + (io.handshakeDone() ? ", " + version() : ", handshake pending") + ")";
    }
}
