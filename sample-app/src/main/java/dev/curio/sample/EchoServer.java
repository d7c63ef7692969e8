package dev.curio.sample;

import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.net.Network;
import dev.curio.net.ServerOptions;

/** The tutorial's stream echo server: every line comes back. */
public final class EchoServer {

    private EchoServer() {}

    /** Runs until cancelled. */
    public static void serve(Socket listener) throws Exception {
        serve(listener, ServerOptions.defaults());
    }

    /** Runs until cancelled, with {@code options} (an idle timeout, say). */
    public static void serve(Socket listener, ServerOptions options) throws Exception {
        Network.runServer(listener, (client, addr) -> {
            try (client) {
                SocketStream s = client.asStream();
                for (byte[] line : s) {
                    s.write(line);
                }
            }
        }, options);
    }
}
