package dev.curio.sample;

import dev.curio.io.LineTooLongException;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.net.Network;
import dev.curio.net.ServerOptions;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's stream echo server: every line comes back. A line over the stream's limit
 * (64 KiB) closes the connection with an INFO line; a peer reset ends it at DEBUG (the server's
 * rule); any other failure is a task crash.
 */
public final class EchoServer {

    private static final Logger LOG = LoggerFactory.getLogger(EchoServer.class);

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
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof LineTooLongException)) {
                    throw e;
                }
                // bad input, not a crash of the server: closed, as the chat server does
                LOG.info("{} closed: {}", addr, e.getCause().getMessage());
            }
        }, options);
    }
}
