package dev.curio.io;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.ReadResourceBusy;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS over loopback, both ends in one kernel: a client {@link TlsSocket} and a server one over a
 * connected pair, with a certificate generated for the run ({@link TlsTestCerts}). Scenarios port
 * Curio 1.6's socket tests ({@code tests/test_socket.py}) to TLS, plus TLS's own: hostname and
 * trust checks, ALPN, close_notify and ragged ends. Timeouts run on the manual clock: they expire
 * as soon as the kernel is idle, i.e. when the peer has nothing more to send.
 */
class TlsSocketTest {

    private static final TlsTestCerts CERTS = TlsTestCerts.get();
    private static final SSLContext CLIENT = CERTS.clientContext();
    private static final SSLContext SERVER = CERTS.serverContext();

    /**
     * {@code [client, server]} over a loopback pair, handshake not yet run. TCP_NODELAY on both:
     * with Nagle's algorithm a small record may wait for the peer's delayed ACK, and the manual
     * clock would take that wait for idleness and expire a timeout meant for a silent peer.
     */
    static TlsSocket[] tlsPair(String hostname, List<String> clientAlpn, List<String> serverAlpn)
            throws IOException {
        Socket[] p = Loopback.pair();
        for (Socket s : p) {
            s.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        }
        return new TlsSocket[] {
            TlsSocket.client(p[0], CLIENT, hostname, clientAlpn), TlsSocket.server(p[1], SERVER, serverAlpn)};
    }

    /** A pair whose handshake is done (the server's side in a task, the client's in the caller). */
    static TlsSocket[] handshaken() throws IOException {
        TlsSocket[] t = tlsPair("localhost", null, null);
        Task<Void> server = Curio.spawn(t[1]::doHandshake);
        t[0].doHandshake();
        server.join();
        return t;
    }

    // Echo round trips of 1 byte to 1 MB: a writer task and a reader task on the client side
    // (full duplex over one TLS connection); the client's SHUT_WR sends close_notify, which the
    // echo server reads as its end of stream.
    @ParameterizedTest
    @ValueSource(ints = {1, 100, 16_385, 65_536, 1_000_001})
    void echoRoundTrip(int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        byte[] echoed = TestKernels.run(() -> {
            TlsSocket[] t = tlsPair("localhost", null, null);
            TlsSocket client = t[0];
            TlsSocket server = t[1];
            Task<Void> echo = Curio.spawn(() -> {
                ByteBuffer b = ByteBuffer.allocate(65_536);
                while (server.recvInto(b.clear()) > 0) {
                    server.sendall(b.flip());
                }
                server.close();
            });
            Task<Void> writer = Curio.spawn(() -> {
                client.sendall(payload);
                client.shutdown(Socket.How.SHUT_WR);
            });
            ByteBuffer got = ByteBuffer.allocate(size + 1);
            while (client.recvInto(got) > 0) {
                // read to end of stream
            }
            writer.join();
            echo.join();
            client.close();
            return Arrays.copyOf(got.array(), got.position());
        });
        assertThat(echoed).isEqualTo(payload);
    }

    // The handshake: lazy on the server side (its first recv), explicit on the client's; then the
    // session is TLS 1.3 and the client sees the generated certificate.
    @Test
    void handshakeAndSession() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = tlsPair("localhost", null, null);
            try (TlsSocket client = t[0]; TlsSocket server = t[1]) {
                Task<Void> s = Curio.spawn(() -> trail.add("server got " + text(server.recv(100))));
                trail.add("client before handshake: " + client.toString().endsWith(", handshake pending)"));
                client.doHandshake();
                trail.add("client " + client.version() + " peer " + client.session().getPeerPrincipal().getName());
                client.doHandshake(); // done: returns at once
                client.sendall(bytes("hello"));
                s.join();
                trail.add("alpn " + client.selectedAlpnProtocol() + " " + server.selectedAlpnProtocol());
            }
        });
        assertThat(trail.events()).containsExactly(
                "client before handshake: true", "client TLSv1.3 peer CN=localhost", "server got hello",
                "alpn null null");
    }

    // TLS 1.2 (the engines limited to it): the same echo, ALPN and close_notify, over the older
    // handshake (which ends on the server's side, not the client's) and its closing rules.
    @Test
    void tls12() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = tlsPair("localhost", List.of("x/1"), List.of("x/1"));
            for (TlsSocket s : t) {
                s.engine().setEnabledProtocols(new String[] {"TLSv1.2"});
            }
            Task<Void> echo = Curio.spawn(() -> {
                for (byte[] b = t[1].recv(100); b.length > 0; b = t[1].recv(100)) {
                    t[1].sendall(b);
                }
                t[1].close();
            });
            t[0].sendall(bytes("ping"));
            trail.add(t[0].version() + " " + t[0].selectedAlpnProtocol() + " " + text(t[0].recv(100)));
            t[0].shutdown(Socket.How.SHUT_WR);
            trail.add("end [" + text(t[0].recv(100)) + "]");
            echo.join();
            t[0].close();
        });
        assertThat(trail.events()).containsExactly("TLSv1.2 x/1 ping", "end []");
    }

    // ALPN: the client offers two protocols, the server speaks one of them: both agree on it.
    @Test
    void alpnNegotiated() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = tlsPair("localhost", List.of("h2", "http/1.1"), List.of("http/1.1", "curio/1"));
            Task<Void> s = Curio.spawn(t[1]::doHandshake);
            t[0].doHandshake();
            s.join();
            trail.add("client " + t[0].selectedAlpnProtocol());
            trail.add("server " + t[1].selectedAlpnProtocol());
            t[0].close();
            t[1].close();
        });
        assertThat(trail.events()).containsExactly("client http/1.1", "server http/1.1");
    }

    // ALPN with nothing in common: the server refuses the handshake (no_application_protocol),
    // and the client learns it from the server's alert.
    @Test
    void alpnWithoutCommonProtocolIsRefused() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = tlsPair("localhost", List.of("h2"), List.of("http/1.1"));
            Task<Void> s = Curio.spawn(() -> handshakeOutcome("server", t[1], trail));
            handshakeOutcome("client", t[0], trail);
            s.join();
            t[0].close();
            t[1].close();
        });
        assertThat(trail.events()).containsExactly(
                "server refused: SSLHandshakeException", "client refused: SSLHandshakeException");
    }

    private static void handshakeOutcome(String who, TlsSocket s, Trail trail) throws IOException {
        try {
            s.doHandshake();
            trail.add(who + " handshake done?");
        } catch (SSLHandshakeException e) {
            trail.add(who + " refused: " + e.getClass().getSimpleName());
        }
    }

    // A certificate for "localhost" presented to a client expecting another name: the client
    // refuses it; the server learns of it from the client's alert. A second attempt reports the
    // first failure again.
    @Test
    void wrongHostnameIsRefused() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = tlsPair("wrong.example", null, null);
            Task<Void> s = Curio.spawn(() -> handshakeOutcome("server", t[1], trail));
            try {
                t[0].doHandshake();
            } catch (SSLHandshakeException e) {
                trail.add("client refused: " + rootMessage(e));
            }
            s.join();
            try {
                t[0].recv(10);
            } catch (SSLHandshakeException e) {
                trail.add("client again: " + e.getMessage().startsWith("TLS handshake failed earlier"));
            }
            t[0].close();
            t[1].close();
        });
        assertThat(trail.events()).containsExactly(
                "client refused: No subject alternative DNS name matching wrong.example found.",
                "server refused: SSLHandshakeException", "client again: true");
    }

    // A client trusting only the JDK's CA certificates refuses the self-signed certificate.
    @Test
    void untrustedCertificateIsRefused() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            TlsSocket client = TlsSocket.client(p[0], SslContexts.defaultClient(), "localhost", null);
            TlsSocket server = TlsSocket.server(p[1], SERVER, null);
            Task<Void> s = Curio.spawn(() -> handshakeOutcome("server", server, trail));
            handshakeOutcome("client", client, trail);
            s.join();
            client.close();
            server.close();
        });
        assertThat(trail.events()).containsExactly(
                "client refused: SSLHandshakeException", "server refused: SSLHandshakeException");
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    // The peer closes: with close_notify (TlsSocket.close) or abruptly (its TCP socket closed
    // under TLS, a "ragged" end). Either way the reader gets the data, then end of stream, twice.
    @Test
    void peerClosing() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            for (boolean ragged : new boolean[] {false, true}) {
                TlsSocket[] t = handshaken();
                t[1].sendall(bytes("bye"));
                if (ragged) {
                    t[1].socket().close();
                } else {
                    t[1].close();
                }
                trail.add((ragged ? "ragged " : "close_notify ") + text(t[0].recv(100)) + " ["
                        + text(t[0].recv(100)) + "] [" + text(t[0].recv(100)) + "]");
                t[0].close();
                t[1].close();
            }
        });
        assertThat(trail.events()).containsExactly("close_notify bye [] []", "ragged bye [] []");
    }

    // Ports test_recv_timeout to TLS: the timed-out recv leaves the connection usable both ways.
    @Test
    void recvTimeoutLeavesTheConnectionUsable() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = handshaken();
            try (TlsSocket client = t[0]; TlsSocket server = t[1]) {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> client.recv(100));
                    trail.add("no timeout?");
                } catch (TaskTimeout e) {
                    trail.add("recv timeout");
                }
                server.sendall(bytes("hello"));
                trail.add("recv " + text(client.recv(100)));
                client.sendall(bytes("still open"));
                trail.add("server recv " + text(server.recv(100)));
            }
        });
        assertThat(trail.events()).containsExactly("recv timeout", "recv hello", "server recv still open");
    }

    // Ports test_recv_cancel to TLS: a reader cancelled in recv; another task reads the data later.
    @Test
    void recvCancelLeavesTheConnectionUsable() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = handshaken();
            try (TlsSocket client = t[0]; TlsSocket server = t[1]) {
                Task<Void> reader = Curio.spawn(() -> {
                    try {
                        client.recv(100);
                        trail.add("reader got data?");
                    } catch (CancelledError e) {
                        trail.add("reader cancelled");
                        throw e;
                    }
                });
                Curio.sleep(1);
                reader.cancel();
                server.sendall(bytes("after cancel"));
                trail.add("main recv " + text(client.recv(100)));
            }
        });
        assertThat(trail.events()).containsExactly("reader cancelled", "main recv after cancel");
    }

    // A handshake timed out half way (the server does not answer yet) resumes when called again.
    @Test
    void handshakeTimeoutResumes() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = tlsPair("localhost", null, null);
            try (TlsSocket client = t[0]; TlsSocket server = t[1]) {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), client::doHandshake);
                    trail.add("no timeout?");
                } catch (TaskTimeout e) {
                    trail.add("handshake timeout: " + client);
                }
                Task<Void> s = Curio.spawn(() -> trail.add("server got " + text(server.recv(100))));
                client.doHandshake();
                trail.add("handshake resumed: " + client.version());
                client.sendall(bytes("hi"));
                s.join();
            }
        });
        assertThat(trail.events()).hasSize(3);
        assertThat(trail.events().get(0)).startsWith("handshake timeout: TlsSocket(").endsWith("handshake pending)");
        assertThat(trail.events().subList(1, 3)).containsExactly("handshake resumed: TLSv1.3", "server got hi");
    }

    // Ports the sendall-cancel scenario to TLS: a sendall timed out against a peer that does not
    // read reports the bytes it committed; the connection goes on, and the peer receives exactly
    // those bytes, then what is sent next.
    @Test
    void sendallTimeoutReportsBytesSentAndTheStreamContinues() {
        byte[] payload = new byte[16 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        long[] sent = {-1};
        byte[] received = TestKernels.run(() -> {
            TlsSocket[] t = handshaken();
            try (TlsSocket client = t[0]; TlsSocket server = t[1]) {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> client.sendall(payload));
                } catch (TaskTimeout e) {
                    sent[0] = PartialIo.of(e).bytesSent();
                }
                Task<byte[]> reader = Curio.spawn(() -> server.asStream().readall());
                client.sendall(bytes("END\n"));
                client.shutdown(Socket.How.SHUT_WR);
                return reader.join();
            }
        });
        assertThat(sent[0]).isPositive().isLessThan(payload.length);
        assertThat(received).hasSize((int) sent[0] + 4);
        assertThat(Arrays.copyOf(received, (int) sent[0])).isEqualTo(Arrays.copyOf(payload, (int) sent[0]));
        assertThat(text(Arrays.copyOfRange(received, (int) sent[0], received.length))).isEqualTo("END\n");
    }

    // Ports test_double_recv: a second task reading a TLS socket someone already waits on fails.
    @Test
    void twoReadersSecondGetsReadResourceBusy() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            TlsSocket[] t = handshaken();
            try (TlsSocket client = t[0]; TlsSocket server = t[1]) {
                Task<Void> first = Curio.spawn(() -> trail.add("first got " + text(client.recv(100))));
                Curio.sleep(1);
                try {
                    client.recv(100);
                    trail.add("second read?");
                } catch (ReadResourceBusy e) {
                    trail.add("second ReadResourceBusy");
                }
                server.sendall(bytes("Msg"));
                first.join();
            }
        });
        assertThat(trail.events()).containsExactly("second ReadResourceBusy", "first got Msg");
    }

    @Test
    void badArguments() throws IOException {
        Socket[] p = {Socket.tcp()};
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsSocket.client(p[0], CLIENT, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverHostname");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsSocket.client(p[0], CLIENT, "h", List.of("")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpnProtocols");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsSocket.server(p[0], null, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("context");
        } finally {
            p[0].close();
        }
    }
}
