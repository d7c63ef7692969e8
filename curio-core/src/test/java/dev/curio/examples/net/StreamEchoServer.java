package dev.curio.examples.net;

import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.net.Network;
import dev.curio.net.ServerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketAddress;

/**
 * The tutorial's stream-based echo servers on {@link Network#tcpServer}: one reading chunks with
 * {@code read(1000)}, one echoing line by line by iterating over the stream.
 */
public final class StreamEchoServer {

    private StreamEchoServer() {}

    static void chunkEcho(Socket client, SocketAddress addr, PrintStream out) throws IOException {
        out.println("Connection from " + addr);
        SocketStream s = client.asStream();
        while (true) {
            byte[] data = s.read(1000);
            if (data.length == 0) {
                break;
            }
            s.write(data);
        }
        out.println("Connection closed");
    }

    static void lineEcho(Socket client, SocketAddress addr, PrintStream out) throws IOException {
        out.println("Connection from " + addr);
        SocketStream s = client.asStream();
        for (byte[] line : s) {
            s.write(line);
        }
        out.println("Connection closed");
    }

    /** {@code java ... StreamEchoServer [lines] [--backlog=N]}: the line form with {@code lines}, else the chunk form. */
    public static void main(String[] args) throws IOException {
        boolean lines = false;
        ServerOptions options = ServerOptions.defaults();
        for (String a : args) {
            if (a.equals("lines")) {
                lines = true;
            } else if (a.startsWith("--backlog=")) {
                options = options.backlog(Integer.parseInt(a.substring("--backlog=".length())));
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "; usage: StreamEchoServer [lines] [--backlog=N]");
            }
        }
        boolean byLine = lines;
        ServerOptions settings = options;
        Curio.run(() -> Network.tcpServer("", 25000, (c, a) -> {
            if (byLine) {
                lineEcho(c, a, System.out);
            } else {
                chunkEcho(c, a, System.out);
            }
        }, settings));
    }
}
