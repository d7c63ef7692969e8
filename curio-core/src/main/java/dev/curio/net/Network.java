package dev.curio.net;

import dev.curio.io.Socket;
import dev.curio.io.TlsSocket;
import dev.curio.kernel.Trap;
import dev.curio.kernel.Kernel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Connections and servers (Curio's {@code curio.network} and the name look-ups of
 * {@code curio.socket}). Servers run each client in a task of one task group: cancelling the
 * server task cancels every client, and each is closed when its handler ends.
 *
 * <p>Name look-ups block in the operating system, so they run on a thread outside the kernel and
 * the task waits for them as for a future (cancellable); literal addresses are not looked up.
 * Stateless apart from that resolver; the blocking functions must be called from a task.
 */
public final class Network {

    private static final ExecutorService RESOLVER = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("curio-resolver-", 0).factory());
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Network() {}

    // ---- name look-ups, off the kernel ----

    /** The addresses of {@code host} with {@code port} (Curio's {@code getaddrinfo}); the host "" is the wildcard. */
    public static List<InetSocketAddress> getaddrinfo(String host, int port) throws UnknownHostException {
        checkPort(port);
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : lookup(host)) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /** The first address of {@code host} (Curio's {@code gethostbyname}). */
    public static InetAddress gethostbyname(String host) throws UnknownHostException {
        return lookup(host)[0];
    }

    /** This machine's host name (Curio's {@code gethostname}). */
    public static String gethostname() throws UnknownHostException {
        return offKernel(() -> InetAddress.getLocalHost().getHostName());
    }

    /** The fully qualified name of {@code host}, this machine if empty (Curio's {@code getfqdn}). */
    public static String getfqdn(String host) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        return offKernel(() -> (host.isEmpty() ? InetAddress.getLocalHost() : InetAddress.getByName(host))
                .getCanonicalHostName());
    }

    private static InetAddress[] lookup(String host) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            return new InetAddress[] {InetAddress.getByName("0.0.0.0")};
        }
        if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
            return new InetAddress[] {InetAddress.getByName(host)}; // a literal: no look-up
        }
        return offKernel(() -> InetAddress.getAllByName(host));
    }

    @FunctionalInterface
    private interface Lookup<T> {
        T get() throws UnknownHostException;
    }

    private static <T> T offKernel(Lookup<T> lookup) throws UnknownHostException {
        CompletableFuture<T> f = CompletableFuture.supplyAsync(() -> {
            try {
                return lookup.get();
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, RESOLVER);
        Kernel.trap(new Trap.FutureWait(f));
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            throw e;
        }
    }

    // ---- clients ----

    /**
     * Connects to {@code host}:{@code port}, trying each of its addresses in turn (Curio's
     * {@code create_connection}); the last failure is thrown if none answers.
     */
    public static Socket createConnection(String host, int port, SocketAddress sourceAddr) throws IOException {
        checkPort(port);
        IOException last = null;
        for (InetSocketAddress a : getaddrinfo(host, port)) {
            Socket s = Socket.stream(a.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                if (sourceAddr != null) {
                    s.bind(sourceAddr);
                }
                s.connect(a);
                return s;
            } catch (IOException e) {
                last = e;
                s.close();
            } catch (Throwable e) {
                s.close();
                throw e;
            }
        }
        throw last != null ? last : new UnknownHostException(host + ": no address");
    }

    /** A TCP connection to {@code host}:{@code port} (Curio's {@code open_connection}). */
    public static Socket openConnection(String host, int port) throws IOException {
        return createConnection(host, port, null);
    }

    /** {@link #openConnection(String, int)} from the local address {@code sourceAddr}. */
    public static Socket openConnection(String host, int port, SocketAddress sourceAddr) throws IOException {
        return createConnection(host, port, Objects.requireNonNull(sourceAddr, "sourceAddr"));
    }

    /**
     * A TLS connection to {@code host}:{@code port} (Curio's {@code open_connection} with
     * {@code ssl}), handshake done. The server's certificate is checked against {@code ssl}'s
     * trust store and {@code serverHostname}, or {@code host} if that is null (Curio skips the
     * check when no name is given; here it is always made). {@code alpnProtocols} (may be null)
     * are offered to the server; see {@link TlsSocket#selectedAlpnProtocol()}.
     */
    public static TlsSocket openConnection(String host, int port, SSLContext ssl, String serverHostname,
            List<String> alpnProtocols) throws IOException {
        return openConnection(host, port, ssl, null, serverHostname, alpnProtocols);
    }

    /** {@link #openConnection(String, int, SSLContext, String, List)} from the local address {@code sourceAddr} (may be null). */
    public static TlsSocket openConnection(String host, int port, SSLContext ssl, SocketAddress sourceAddr,
            String serverHostname, List<String> alpnProtocols) throws IOException {
        Objects.requireNonNull(ssl, "ssl");
        Socket s = createConnection(host, port, sourceAddr);
        TlsSocket t = null;
        try {
            t = TlsSocket.client(s, ssl, serverHostname == null ? host : serverHostname, alpnProtocols);
            t.doHandshake();
            return t;
        } catch (Throwable e) {
            if (t != null) {
                t.close();
            } else {
                s.close();
            }
            throw e;
        }
    }

    /** A connection to the Unix domain socket at {@code path} (Curio's {@code open_unix_connection}). */
    public static Socket openUnixConnection(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Socket s = Socket.stream(StandardProtocolFamily.UNIX);
        try {
            s.connect(UnixDomainSocketAddress.of(path));
            return s;
        } catch (Throwable e) {
            s.close();
            throw e;
        }
    }

    // ---- server sockets ----

    /** A listening TCP socket with {@link ServerOptions#defaults()} (Curio's {@code tcp_server_socket}). */
    public static Socket tcpServerSocket(String host, int port) throws IOException {
        return tcpServerSocket(host, port, ServerOptions.defaults());
    }

    /**
     * A listening TCP socket on {@code host} ("" for every interface of the family) and
     * {@code port} (0 for any free port; see {@link Socket#localAddress()}). Not a blocking call.
     */
    public static Socket tcpServerSocket(String host, int port, ServerOptions options) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        checkPort(port);
        InetAddress addr = host.isEmpty()
                ? InetAddress.getByName(options.family() == StandardProtocolFamily.INET6 ? "::" : "0.0.0.0")
                : InetAddress.getByName(host);
        Socket s = Socket.server(options.family());
        try {
            if (options.reuseAddress()) {
                s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (options.reusePort()) {
                if (s.supportsOption(StandardSocketOptions.SO_REUSEPORT)) {
                    s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                } else {
                    System.getLogger(Network.class.getName()).log(System.Logger.Level.WARNING,
                            "reusePort requested but SO_REUSEPORT is not supported here");
                }
            }
            s.listen(new InetSocketAddress(addr, port), options.backlog());
            return s;
        } catch (Throwable e) {
            s.close();
            throw e;
        }
    }

    /** A listening Unix domain socket at {@code path} (Curio's {@code unix_server_socket}). */
    public static Socket unixServerSocket(Path path, int backlog) throws IOException {
        Objects.requireNonNull(path, "path");
        Socket s = Socket.server(StandardProtocolFamily.UNIX);
        try {
            s.listen(UnixDomainSocketAddress.of(path), backlog);
            return s;
        } catch (Throwable e) {
            s.close();
            throw e;
        }
    }

    // ---- servers ----

    /** Runs a TCP server with {@link ServerOptions#defaults()} until cancelled (Curio's {@code tcp_server}). */
    public static void tcpServer(String host, int port, ClientHandler handler) throws IOException {
        tcpServer(host, port, handler, ServerOptions.defaults());
    }

    /** Runs a TCP server with {@code options} (socket settings and connection timeouts) until cancelled. */
    public static void tcpServer(String host, int port, ClientHandler handler, ServerOptions options)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        runServer(tcpServerSocket(host, port, options), handler, options);
    }

    /** Runs a Unix domain server at {@code path} (Curio's {@code unix_server}); the path must not exist. */
    public static void unixServer(Path path, ClientHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        runServer(unixServerSocket(path, 100), handler);
    }

    /**
     * Accepts connections on {@code sock} until cancelled, serving each with {@code handler} in
     * its own task (Curio's {@code run_server}). The clients are members of one task group, which
     * the accepting task is not: cancelling the server cancels them all and waits for them, while
     * cancelling clients (even as a group) leaves the server accepting. A failing client is logged
     * and does not stop the server; a client whose peer reset the connection (or broke the pipe)
     * ends normally, logged at DEBUG. A failed accept that is not the listener's end (out of file
     * descriptors, a connection aborted while queued) is retried after a back-off, logged once per
     * burst and counted in {@link NetworkStatistics#acceptErrors()}. {@code sock} is closed when
     * the server ends.
     */
    public static void runServer(Socket sock, ClientHandler handler) throws IOException {
        runServer(sock, handler, ServerOptions.defaults());
    }

    /**
     * {@link #runServer(Socket, ClientHandler)} with the connection settings of {@code options}
     * ({@link ServerOptions#idleTimeout()}; its socket settings were for making {@code sock}).
     */
    public static void runServer(Socket sock, ClientHandler handler, ServerOptions options) throws IOException {
        Objects.requireNonNull(sock, "sock");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        Server.run(sock, handler, options);
    }

    /**
     * Why {@code failure} (or an exception it wraps: an {@code UncheckedIOException}, an
     * {@code SSLException}...) says the peer went away (reset the connection, broke the pipe,
     * aborted it, or the channel was closed), or null when it says something else. The servers
     * end a handler so failed at DEBUG instead of logging a task crash; a task the handler spawns
     * (a chat connection's writer, say) asks the same to end quietly too.
     */
    public static String peerGone(Throwable failure) {
        return PeerGone.reason(failure);
    }

    /** Runs a TLS server with {@link ServerOptions#defaults()} until cancelled (Curio's {@code tcp_server} with {@code ssl}). */
    public static void tcpServer(String host, int port, TlsClientHandler handler, SSLContext ssl) throws IOException {
        tcpServer(host, port, handler, ServerOptions.defaults(), ssl, null);
    }

    /**
     * Runs a TLS server: {@code ssl} holds its key and certificate (see
     * {@link dev.curio.io.SslContexts#server}), {@code alpnProtocols} (may be null) the protocols
     * it speaks.
     */
    public static void tcpServer(String host, int port, TlsClientHandler handler, ServerOptions options,
            SSLContext ssl, List<String> alpnProtocols) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(ssl, "ssl");
        runServer(tcpServerSocket(host, port, options), handler, ssl, alpnProtocols, options);
    }

    /**
     * {@link #runServer(Socket, ClientHandler)} for TLS (Curio's {@code run_server} with {@code ssl}):
     * each accepted client is wrapped in TLS as the server side, its handshake left to the handler's
     * first read or write; the connection is closed (close_notify first) when the handler ends.
     */
    public static void runServer(Socket sock, TlsClientHandler handler, SSLContext ssl, List<String> alpnProtocols)
            throws IOException {
        runServer(sock, handler, ssl, alpnProtocols, ServerOptions.defaults());
    }

    /**
     * {@link #runServer(Socket, TlsClientHandler, SSLContext, List)} with the connection settings of
     * {@code options}: with a {@link ServerOptions#handshakeTimeout()}, the handshake runs before
     * the handler, and a client that has not completed it in time is closed unserved.
     */
    public static void runServer(Socket sock, TlsClientHandler handler, SSLContext ssl, List<String> alpnProtocols,
            ServerOptions options) throws IOException {
        Objects.requireNonNull(sock, "sock");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(ssl, "ssl");
        Objects.requireNonNull(options, "options");
        Server.runTls(sock, handler, ssl, alpnProtocols, options);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
    }
}
