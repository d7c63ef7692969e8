package dev.curio.examples.net;

import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.kernel.Kernel;
import dev.curio.net.Network;
import dev.curio.net.ServerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.time.Duration;

/**
 * The tutorial's "simple echo server", written directly with sockets: a listening socket, an
 * accept loop, and a task per client that echoes until the client closes. Try it with
 * {@code nc localhost 25000}.
 */
public final class EchoServer {

    private EchoServer() {}

    /** Accepts on {@code listener} forever, a task per client. */
    static void echoServer(Socket listener, PrintStream out) throws IOException {
        out.println("Server listening at " + listener.localAddress());
        try (listener) {
            while (true) {
                Socket client = listener.accept();
                SocketAddress addr = client.remoteAddress();
                Curio.spawn(() -> echoClient(client, addr, out));
            }
        }
    }

    static void echoClient(Socket client, SocketAddress addr, PrintStream out) throws IOException {
        out.println("Connection from " + addr);
        try (client) {
            while (true) {
                byte[] data = client.recv(1000);
                if (data.length == 0) {
                    break;
                }
                client.sendall(data);
            }
        }
        out.println("Connection closed");
    }

    /**
     * The listening socket of the tutorial: SO_REUSEADDR, a backlog of 5. (NIO has a distinct
     * channel type for listening, so the socket is made as a server socket from the start.)
     */
    static Socket listen(String host, int port) throws IOException {
        return listen(host, port, 5);
    }

    static Socket listen(String host, int port, int backlog) throws IOException {
        Socket sock = Socket.server(StandardProtocolFamily.INET);
        sock.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        sock.listen(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port), backlog);
        return sock;
    }

    /**
     * {@code java ... EchoServer [tcp] [--backlog=N]}: the socket form, or with {@code tcp} the
     * tcpServer form. The socket form listens with the tutorial's backlog of 5, the tcpServer form
     * with tcpServer's 100, unless told otherwise (the echo benchmark gives every server it
     * compares the same, larger backlog).
     */
    public static void main(String[] args) throws IOException {
        boolean tcp = false;
        Integer backlog = null;
        for (String a : args) {
            if (a.equals("tcp")) {
                tcp = true;
            } else if (a.startsWith("--backlog=")) {
                backlog = Integer.parseInt(a.substring("--backlog=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "; usage: EchoServer [tcp] [--backlog=N]");
            }
        }
        // -Dcurio.io-spin=<microseconds>: the kernel's idle socket poll, for the echo benchmark's A B runs
        String spin = System.getProperty("curio.io-spin");
        Kernel.Builder kernel = Kernel.builder();
        if (spin != null) {
            kernel.ioSpin(Duration.ofNanos(Long.parseLong(spin) * 1000));
        }
        if (tcp) {
            int b = backlog == null ? ServerOptions.defaults().backlog() : backlog;
            Curio.run(kernel, () -> {
                tcpServerForm("", 25000, b, System.out);
                return null;
            });
        } else {
            Socket sock = listen("", 25000, backlog == null ? 5 : backlog);
            Curio.run(kernel, () -> {
                echoServer(sock, System.out);
                return null;
            });
        }
    }

    /**
     * The tutorial's shorter form with {@link Network#tcpServer}: it creates the socket, runs each
     * client in its task group and closes the client, so the handler needs no {@code try}.
     */
    static void tcpServerForm(String host, int port, PrintStream out) throws IOException {
        tcpServerForm(host, port, ServerOptions.defaults().backlog(), out);
    }

    static void tcpServerForm(String host, int port, int backlog, PrintStream out) throws IOException {
        Network.tcpServer(host, port, (client, addr) -> {
            out.println("Connection from " + addr);
            while (true) {
                byte[] data = client.recv(1000);
                if (data.length == 0) {
                    break;
                }
                client.sendall(data);
            }
            out.println("Connection closed");
        }, ServerOptions.defaults().backlog(backlog));
    }
}
