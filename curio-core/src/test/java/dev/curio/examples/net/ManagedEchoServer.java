package dev.curio.examples.net;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.net.Network;
import dev.curio.sync.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The tutorial's managed echo server: it runs until told to restart, then cancels the server,
 * whose task group cancels every connected client; each client writes "SERVER IS GOING AWAY!"
 * to its peer on the way out, and a fresh server starts on the same port. The tutorial restarts
 * on SIGHUP; here {@link #main} restarts on each line typed on standard input, delivered to the
 * kernel from the console thread through {@link Kernel#submit}.
 */
public final class ManagedEchoServer {

    private ManagedEchoServer() {}

    static void echoClient(Socket client, SocketAddress addr, PrintStream out) throws IOException {
        out.println("Connection from " + addr);
        SocketStream s = client.asStream();
        try {
            for (byte[] line : s) {
                s.write(line);
            }
        } catch (CancelledError e) {
            s.write("SERVER IS GOING AWAY!\n".getBytes(StandardCharsets.US_ASCII));
            throw e;
        }
        out.println("Connection closed");
    }

    /**
     * Serves on {@code host}:{@code port}, restarting each time {@code restart} is set (it is
     * cleared on each restart), {@code restarts} times, then stops the server and returns.
     */
    static void serve(String host, int port, Event restart, int restarts, PrintStream out) throws IOException {
        for (int i = 0; ; i++) {
            out.println("Starting the server");
            Task<Void> server = Curio.spawn("echo server",
                    () -> Network.tcpServer(host, port, (c, a) -> echoClient(c, a, out)));
            restart.await();
            restart.clear();
            out.println("Server shutting down");
            server.cancel();
            if (i == restarts) {
                return;
            }
        }
    }

    public static void main(String[] args) {
        try (Kernel kernel = new Kernel()) {
            Event restart = new Event();
            Thread console = Thread.ofPlatform().daemon().start(() -> {
                var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                try {
                    while (in.readLine() != null) {
                        kernel.submit("restart", () -> {
                            restart.set();
                            return null;
                        });
                    }
                } catch (IOException e) {
                    System.err.println("console: " + e);
                }
            });
            kernel.run(() -> {
                serve("", 25000, restart, Integer.MAX_VALUE, System.out);
                return null;
            });
            console.interrupt();
        }
    }
}
