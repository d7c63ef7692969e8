package dev.curio.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.io.Loopback;
import dev.curio.io.Socket;
import dev.curio.kernel.Task;
import dev.curio.net.Network;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Channels and connections, ported from Curio 1.6's {@code tests/test_channel.py}, plus bad input. */
class ChannelTest {

    static final byte[] KEY = "peekaboo".getBytes(StandardCharsets.US_ASCII);

    /** Two connections over a loopback TCP pair (Curio's {@code conns} fixture uses a socketpair). */
    static Connection[] conns() throws IOException {
        Socket[] p = Loopback.pair();
        return new Connection[] {new Connection(p[0].asStream()), new Connection(p[1].asStream())};
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // Ports test_connection_hello, test_connection_hello_bytes and test_connection_large: every
    // type of the encoding goes through unchanged.
    @Test
    void connectionHello() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Connection[] c = conns();
            try (Connection server = c[0]; Connection client = c[1]) {
                Map<Object, Object> map = new LinkedHashMap<>();
                map.put("n", 1);
                map.put(2L, List.of(true, false));
                map.put(null, new byte[] {1, 2});
                List<Object> msgs = Arrays.asList("hello world", null, true, 42, 1L << 40, 3.5, "h\u00e9llo \uD83D\uDE00",
                        List.of(1, "two", List.of(3.0)), map, "x".repeat(1_000_000));
                Task<?> sender = Curio.spawn(() -> {
                    for (Object m : msgs) {
                        server.send(m);
                    }
                    server.sendBytes("raw bytes".getBytes(StandardCharsets.UTF_8));
                });
                for (Object m : msgs) {
                    Object got = client.recv();
                    if (got instanceof Map<?, ?> gm) {
                        trail.add(gm.keySet() + " " + gm.get("n") + " " + gm.get(2L) + " "
                                + Arrays.toString((byte[]) gm.get(null)));
                    } else {
                        trail.add(String.valueOf(got).length() > 100 ? "long " + String.valueOf(got).length()
                                : String.valueOf(got));
                    }
                    assertThat(got == null ? null : got.getClass().getSimpleName().replace("Unmodifiable", ""))
                            .isNotEqualTo("what");
                }
                trail.add(text(client.recvBytes()));
                sender.join();
            }
        });
        assertThat(trail.events()).containsExactly("hello world", "null", "true", "42", "1099511627776", "3.5",
                "h\u00e9llo \uD83D\uDE00", "[1, two, [3.0]]", "[n, 2, null] 1 [true, false] [1, 2]", "long 1000000",
                "raw bytes");
    }

    // Ports test_connection_send_partial_bytes, including its bad arguments.
    @Test
    void sendPartialBytes() {
        byte[] data = "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Connection[] c = conns();
            try (Connection server = c[0]; Connection client = c[1]) {
                server.sendBytes(data, 5, 10);
                server.sendBytes(data, 5);
                server.sendBytes(data, 0, 10);
                for (int i = 0; i < 3; i++) {
                    trail.add(text(client.recvBytes()));
                }
                for (int[] bad : new int[][] {{50, 1}, {0, 50}, {-10, 1}, {0, -10}}) {
                    try {
                        server.sendBytes(data, bad[0], bad[1]);
                    } catch (IllegalArgumentException e) {
                        trail.add(e.getMessage());
                    }
                }
            }
        });
        assertThat(trail.events()).containsExactly("fghijklmno", "fghijklmnopqrstuvwxyz", "abcdefghij",
                "buffer length < offset", "buffer length < offset + size", "offset is negative", "size is negative");
    }

    // Ports test_connection_recv_cancel and test_connection_recv_timeout: a receive cancelled
    // before any byte arrived leaves the connection usable.
    @Test
    void recvCancelAndTimeout() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Connection[] c = conns();
            try (Connection server = c[0]; Connection client = c[1]) {
                Task<?> t = Curio.spawn(() -> {
                    try {
                        trail.add(client.recv());
                    } catch (CancelledError e) {
                        trail.add("cancel");
                    }
                });
                Curio.sleep(1);
                t.cancel();
                trail.add("done cancel");
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> client.recv());
                } catch (TaskTimeout e) {
                    trail.add("timeout");
                }
                server.send("still in step");
                trail.add(client.recv());
            }
        });
        assertThat(trail.events()).containsExactly("cancel", "done cancel", "timeout", "still in step");
    }

    // Ports test_connection_send_cancel and test_connection_send_timeout: a send cancelled
    // mid-frame leaves the connection out of step, so it is closed and says so.
    @Test
    void sendCancelMidFrame() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Connection[] c = conns();
            try (Connection server = c[0]; Connection client = c[1]) {
                String msg = "x".repeat(10_000_000);
                Task<?> t = Curio.spawn(() -> {
                    try {
                        client.send(msg);
                        client.send(msg);
                        trail.add("success");
                    } catch (CancelledError e) {
                        trail.add("cancel");
                    }
                });
                Curio.sleep(1); // the clock moves only once the sender is stuck on a full socket
                t.cancel();
                trail.add("done cancel");
                assertThatThrownBy(() -> client.send("more")).isInstanceOf(ChannelProtocolError.class)
                        .hasMessageContaining("interrupted mid-frame");
            }
        });
        assertThat(trail.events()).containsExactly("cancel", "done cancel");
    }

    // Ports test_channel_hello and test_channel_hello_auth.
    @Test
    void channelHelloWithAuth() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Channel ch = new Channel("127.0.0.1", 0).bind()) {
                Task<?> server = Curio.spawn(() -> {
                    try (Connection c = ch.accept(KEY)) {
                        c.send("hello world");
                        trail.add("server got " + c.recv());
                    }
                });
                try (Connection c = new Channel(ch.address()).connect(KEY)) {
                    trail.add("client got " + c.recv());
                    c.send("hi there");
                }
                server.join();
            }
            try (Channel ch = new Channel("127.0.0.1", 0).bind()) {
                Task<?> server = Curio.spawn(() -> {
                    try (Connection c = ch.accept()) {
                        c.send("no key");
                    }
                });
                try (Connection c = new Channel(ch.address()).connect()) {
                    trail.add("client got " + c.recv());
                }
                server.join();
            }
        });
        assertThat(trail.events()).containsExactly("client got hello world", "server got hi there",
                "client got no key");
    }

    // Ports test_channel_hello_auth_fail; the listener keeps accepting: after bad clients of every
    // kind, a good one is served.
    @Test
    void badClientsDoNotStopTheListener() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Channel ch = new Channel("127.0.0.1", 0).bind()) {
                int port = ch.address().getPort();
                Task<?> server = Curio.spawn(() -> {
                    while (true) {
                        try (Connection c = ch.accept(KEY)) {
                            c.send("welcome");
                            trail.add("server served a client");
                            return;
                        } catch (IOException e) {
                            trail.add("server: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                });
                // a client with another key
                try {
                    new Channel("127.0.0.1", port).connect("what?".getBytes(StandardCharsets.US_ASCII));
                } catch (AuthenticationError e) {
                    trail.add("client: " + e.getMessage());
                }
                // random bytes, read as a huge frame length
                rawClient(port, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                // a truncated frame, then the peer goes away
                rawClient(port, ByteBuffer.allocate(8).putInt(40).putInt(7).array());
                // a peer that says nothing and leaves
                rawClient(port, new byte[0]);
                // a negative length
                rawClient(port, ByteBuffer.allocate(4).putInt(-5).array());
                try (Connection c = new Channel("127.0.0.1", port).connect(KEY)) {
                    trail.add("client got " + c.recv());
                }
                server.join();
            }
        });
        assertThat(trail.events()).containsExactly(
                "server: AuthenticationError: digest received was wrong (the peer does not have the authkey)",
                "client: digest sent was rejected (the peer has another authkey)",
                "server: ChannelProtocolError: frame of 1195725856 bytes refused: the limit is 256",
                "server: EOFException: the peer closed the connection mid-frame, after 8 bytes of it",
                "server: EOFException: the peer closed the connection",
                "server: ChannelProtocolError: frame of -5 bytes refused: a length cannot be negative",
                "server served a client",
                "client got welcome");
    }

    /** Connects, sends {@code data} raw, reads whatever comes until the server hangs up, closes. */
    static void rawClient(int port, byte[] data) throws IOException {
        try (Socket s = Network.openConnection("127.0.0.1", port)) {
            s.sendall(data);
            s.shutdown(Socket.How.SHUT_WR);
            try {
                while (s.recv(1024).length > 0) {
                    // the server's challenge, then its hang-up
                }
            } catch (java.net.SocketException e) {
                // a server closing with our bytes unread resets the connection
            }
        }
    }

    // Bad frames after the handshake: a payload that does not decode spoils that message only;
    // an oversized frame or a peer leaving mid-frame closes the connection.
    @Test
    void badFramesOnAConnection() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Connection c = new Connection(p[1].asStream()).maxFrame(100); Socket raw = p[0]) {
                raw.sendall(ByteBuffer.allocate(7).putInt(3).put(new byte[] {42, 1, 2}).array());
                raw.sendall(ByteBuffer.allocate(5).putInt(1).put((byte) 2).array());
                raw.sendall(ByteBuffer.allocate(4).putInt(101).array());
                for (int i = 0; i < 4; i++) {
                    try {
                        trail.add("got " + c.recv());
                    } catch (IOException e) {
                        trail.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                assertThatThrownBy(() -> c.sendBytes(new byte[101])).hasMessageContaining("exceeds maxFrame 100");
            }
            p = Loopback.pair();
            try (Connection c = new Connection(p[1].asStream()); Socket raw = p[0]) {
                raw.sendall(ByteBuffer.allocate(6).putInt(10).put(new byte[] {6, 0}).array());
                raw.close();
                try {
                    c.recv();
                } catch (EOFException e) {
                    trail.add(e.getMessage());
                }
            }
        });
        assertThat(trail.events()).containsExactly(
                "MessageFormatError: unknown tag 42 at byte 0",
                "got true",
                "ChannelProtocolError: frame of 101 bytes refused: the limit is 100",
                "ChannelProtocolError: connection unusable: frame of 101 bytes refused: the limit is 100",
                "the peer closed the connection mid-frame, after 6 bytes of it");
    }

    // A client whose server does not use a key, and bad arguments.
    @Test
    void mismatchedAuthAndBadArguments() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Channel ch = new Channel("127.0.0.1", 0).bind()) {
                Task<?> server = Curio.spawn(() -> {
                    try (Connection c = ch.accept()) {
                        c.send("hello");
                    }
                });
                try {
                    new Channel(ch.address()).connect(KEY);
                } catch (AuthenticationError e) {
                    trail.add(e.getMessage());
                }
                server.join();
            }
            assertThatThrownBy(() -> new Channel("localhost", 70000)).hasMessageContaining("port");
            assertThatThrownBy(() -> new Channel("localhost", 0).maxFrame(0)).hasMessageContaining("maxFrame");
            assertThatThrownBy(() -> ObjectCodec.encode(new Object())).hasMessageContaining("cannot send a java.lang.Object");
            assertThatThrownBy(() -> ObjectCodec.encode(List.of(1.5f))).hasMessageContaining("java.lang.Float");
        });
        assertThat(trail.events()).containsExactly(
                "expected an authentication challenge, got a frame of 10 bytes (does the peer use an authkey?)");
    }
}
