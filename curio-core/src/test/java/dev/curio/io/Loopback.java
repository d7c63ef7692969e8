package dev.curio.io;

import dev.curio.net.Network;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Loopback helpers for the socket tests: a listening socket on a free port of 127.0.0.1. */
public final class Loopback {
    private Loopback() {}

    public static Socket listen() throws IOException {
        return Network.tcpServerSocket("127.0.0.1", 0);
    }

    public static InetSocketAddress address(Socket server) throws IOException {
        return (InetSocketAddress) server.localAddress();
    }

    public static int port(Socket server) throws IOException {
        return address(server).getPort();
    }

    /** A connected pair of TCP sockets over loopback: {@code [client, server side]}. */
    public static Socket[] pair() throws IOException {
        try (Socket server = listen()) {
            Socket client = Socket.tcp();
            client.connect(address(server));
            return new Socket[] {client, server.accept()};
        }
    }

    /**
     * Blocks the calling thread (the whole kernel, if called from a task) until {@code sock} has
     * data to read or 10 s pass, without reading it: for tests that need data to have arrived.
     */
    public static void awaitReadable(Socket sock) throws IOException {
        try (java.nio.channels.Selector probe = java.nio.channels.Selector.open()) {
            sock.channel().register(probe, java.nio.channels.SelectionKey.OP_READ);
            if (probe.select(10_000) == 0) {
                throw new AssertionError("no data arrived on " + sock + " within 10 s");
            }
        }
    }

    public static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
