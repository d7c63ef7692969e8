package dev.curio.net;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.io.Loopback;
import dev.curio.io.Socket;
import dev.curio.io.TlsSocket;
import dev.curio.io.TlsStream;
import dev.curio.io.TlsTestCerts;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * TLS servers and connections over loopback ({@code Network.runServer} / {@code tcpServer} with
 * {@code ssl}, {@code openConnection} with {@code ssl}, {@code serverHostname} and
 * {@code alpnProtocols}), ported from the TLS scenarios of Curio 1.6's {@code tests/test_network.py}
 * (which needs certificate files; here one is generated for the run by {@link TlsTestCerts}).
 */
class TlsNetworkTest {

    private static final TlsTestCerts CERTS = TlsTestCerts.get();
    private static final SSLContext CLIENT = CERTS.clientContext();
    private static final SSLContext SERVER = CERTS.serverContext();

    // Ports test_ssl_server: a TLS line-echo server speaking "echo/1" over ALPN; two clients
    // connect (one naming the server by its IP address, checked against the certificate's IP
    // name); cancelling the server says goodbye to the client still connected and closes it
    // with close_notify.
    @Test
    void tlsEchoServerWithAlpnAndCancellation() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            int port = Loopback.port(listener);
            Event connected = new Event();
            Task<Void> server = Curio.spawn("server", () -> Network.runServer(listener, (client, addr) -> {
                TlsStream s = client.asStream();
                try {
                    for (byte[] line : s) {
                        trail.add("server " + client.selectedAlpnProtocol() + " " + text(line).strip());
                        s.write(line);
                        connected.set();
                    }
                    trail.add("server saw the end");
                } catch (CancelledError e) {
                    s.write(bytes("GOODBYE\n"));
                    throw e;
                }
            }, SERVER, List.of("echo/1")));
            try (TlsSocket a = Network.openConnection("localhost", port, CLIENT, null, List.of("echo/1"))) {
                TlsStream s = a.asStream();
                s.write(bytes("one\n"));
                trail.add("a " + a.selectedAlpnProtocol() + " " + text(s.readline()).strip());
            }
            TlsSocket b = Network.openConnection("127.0.0.1", port, CLIENT, null, null);
            TlsStream s = b.asStream();
            s.write(bytes("two\n"));
            trail.add("b " + b.selectedAlpnProtocol() + " " + text(s.readline()).strip());
            server.cancel();
            trail.add("b after cancel: " + text(s.readall()).strip());
            b.close();
        });
        assertThat(trail.events()).containsExactly(
                "server echo/1 one", "a echo/1 one", "server saw the end",
                "server null two", "b null two", "b after cancel: GOODBYE");
    }

    // Ports test_ssl_wrong_hostname (a client expecting another name): openConnection fails with
    // the handshake, closing its socket; the server's handler for that client fails alone and the
    // server serves the next client.
    @Test
    void wrongServerHostnameRefusedServerCarriesOn() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            int port = Loopback.port(listener);
            Task<Void> server = Curio.spawn("server", () -> Network.runServer(listener, (client, addr) -> {
                try {
                    client.doHandshake();
                } catch (SSLHandshakeException e) {
                    trail.add("server: handshake failed");
                    throw e;
                }
                client.sendall(bytes("welcome"));
            }, SERVER, null));
            try {
                Network.openConnection("127.0.0.1", port, CLIENT, "wrong.example", null);
                trail.add("connected?");
            } catch (SSLHandshakeException e) {
                trail.add("client: " + e.getClass().getSimpleName());
            }
            try (TlsSocket ok = Network.openConnection("127.0.0.1", port, CLIENT, "localhost", null)) {
                trail.add("client: " + text(ok.recv(100)));
            }
            server.cancel();
        });
        assertThat(trail.events()).containsExactly(
                "client: SSLHandshakeException", "server: handshake failed", "client: welcome");
    }
}
