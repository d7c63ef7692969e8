package dev.curio.net;

import dev.curio.io.TlsSocket;
import java.net.SocketAddress;

/**
 * Serves one connection of a TLS server (Curio's {@code client_connected_task} with {@code ssl}):
 * as {@link ClientHandler}, with the client already wrapped in TLS. The handshake runs on the
 * handler's first read or write (or its {@link TlsSocket#doHandshake()}), so a client failing it
 * fails only its own handler; the server closes {@code client} when the handler ends.
 */
@FunctionalInterface
public interface TlsClientHandler {
    void handle(TlsSocket client, SocketAddress address) throws Exception;
}
