package dev.curio.net;

import dev.curio.io.Socket;
import java.net.SocketAddress;

/**
 * Serves one connection of a server (Curio's {@code client_connected_task}). It runs as its own
 * task in the server's task group; the server closes {@code client} when it returns or fails,
 * and cancelling the server cancels it.
 */
@FunctionalInterface
public interface ClientHandler {
    void handle(Socket client, SocketAddress address) throws Exception;
}
