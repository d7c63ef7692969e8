package dev.curio.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The baseline of the echo benchmark (benchmarks/echo/run.sh): a plain JDK echo server with one
 * virtual thread per connection and blocking {@code java.net} sockets, on the JDK's default
 * virtual-thread scheduler; no Curio. Socket options as the project's and Curio's echo servers:
 * SO_REUSEADDR on the listener, nothing set on the connections (no TCP_NODELAY).
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes dev.curio.bench.echo.VirtualThreadEchoServer
 * PORT}; serves 127.0.0.1 until killed.
 *
 * <p>Thread-safety: each connection's socket and buffer belong to its own virtual thread; the
 * main thread only accepts.
 */
public final class VirtualThreadEchoServer {

    private VirtualThreadEchoServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: VirtualThreadEchoServer PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            System.out.println("virtual-thread echo server on " + listener.getLocalSocketAddress()
                    + ", java " + Runtime.version());
            while (true) {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> echo(client));
            }
        }
    }

    private static void echo(Socket client) {
        byte[] buf = new byte[16 * 1024];
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // The peer reset the connection: this connection is over, the server goes on.
        }
    }
}
