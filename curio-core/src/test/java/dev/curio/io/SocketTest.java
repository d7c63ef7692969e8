package dev.curio.io;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.ReadResourceBusy;
import dev.curio.TaskTimeout;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.WriteResourceBusy;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import dev.curio.task.TaskGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sockets over loopback, ported from Curio 1.6's {@code tests/test_socket.py} (and the socket
 * scenarios of {@code test_io.py}). Curio's tests order some steps with {@code sleep(0.1)}; here
 * each step waits for the reply or event it needs instead, so the trails do not depend on timing.
 * Timeouts run on the test kernels' manual clock: they expire as soon as the kernel is idle.
 */
class SocketTest {

    // Ports test_tcp_echo.
    @Test
    void tcpEcho() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            InetSocketAddress address = Loopback.address(listener);
            try (TaskGroup g = new TaskGroup()) {
                g.spawn(() -> {
                    trail.add("accept wait");
                    Socket client = listener.accept();
                    trail.add("accept done");
                    Curio.spawn(() -> {
                        trail.add("handler start");
                        while (true) {
                            trail.add("recv wait");
                            byte[] data = client.recv(100);
                            if (data.length == 0) {
                                break;
                            }
                            trail.add("handler " + text(data));
                            client.sendall(data);
                        }
                        trail.add("handler done");
                        client.close();
                    });
                    listener.close();
                });
                g.spawn(() -> {
                    trail.add("client start");
                    Socket sock = Socket.tcp();
                    sock.connect(address);
                    sock.send(bytes("Msg1"));
                    trail.add("client " + text(sock.recv(100)));
                    sock.send(bytes("Msg2"));
                    trail.add("client " + text(sock.recv(100)));
                    trail.add("client close");
                    sock.close();
                });
                g.join();
            }
            // The handler is not in the group: wait for it to see the end of stream.
            while (!trail.events().contains("handler done")) {
                Curio.sleep(0.1);
            }
        });
        assertThat(trail.events()).containsExactly(
                "accept wait", "client start", "accept done", "handler start", "recv wait",
                "handler Msg1", "recv wait", "client Msg1", "handler Msg2", "recv wait", "client Msg2",
                "client close", "handler done");
    }

    // Echo round trips of 1 byte to 8 MiB: a writer task and a reader task on the client side,
    // so that neither side's buffers can fill up and stall the other.
    @ParameterizedTest
    @ValueSource(ints = {1, 100, 65_536, 1_000_001, 8 * 1024 * 1024})
    void echoRoundTrip(int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        byte[] echoed = TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            Socket client = p[0];
            Socket server = p[1];
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

    // Ports test_accept_timeout: the accept times out, and the listening socket still works.
    @Test
    void acceptTimeoutLeavesTheSocketUsable() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Socket listener = Loopback.listen()) {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(1), () -> listener.accept());
                } catch (TaskTimeout e) {
                    trail.add("accept timeout");
                }
                try (Socket c = Socket.tcp()) {
                    c.connect(Loopback.address(listener));
                    try (Socket s = listener.accept()) {
                        trail.add("accepted after the timeout");
                    }
                }
            }
        });
        assertThat(trail.events()).containsExactly("accept timeout", "accepted after the timeout");
    }

    // Ports test_accept_cancel: a task blocked in accept is cancelled; the socket still accepts.
    @Test
    void acceptCancelLeavesTheSocketUsable() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Socket listener = Loopback.listen()) {
                Task<Void> t = Curio.spawn(() -> {
                    try {
                        listener.accept();
                    } catch (CancelledError e) {
                        trail.add("accept cancelled, state was waiting");
                        throw e;
                    }
                });
                Curio.sleep(1);
                trail.add("task state " + t.state());
                t.cancel();
                try (Socket c = Socket.tcp()) {
                    c.connect(Loopback.address(listener));
                    try (Socket s = listener.accept()) {
                        trail.add("accepted");
                    }
                }
            }
        });
        assertThat(trail.events()).containsExactly(
                "task state READ_WAIT", "accept cancelled, state was waiting", "accepted");
    }

    // Ports test_recv_timeout: a timed-out recv leaves the connection usable; the data sent
    // afterwards arrives whole.
    @Test
    void recvTimeoutLeavesTheSocketUsable() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
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

    // A reader whose last read drained the socket waits for readability before its next read
    // (one system call saved per message). A zero timeout is still a poll, as in Curio: data that
    // is already there is returned, and only an empty socket times out.
    @Test
    void zeroTimeoutPollsADrainedSocket() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
                server.sendall(bytes("first"));
                trail.add("recv " + text(client.recv(100)));
                trail.add("poll empty " + Curio.ignoreAfter(Duration.ZERO, () -> client.recv(100), bytes("timed out")).length);
                server.sendall(bytes("second"));
                Loopback.awaitReadable(client);
                trail.add("poll " + text(Curio.ignoreAfter(Duration.ZERO, () -> client.recv(100))));
            }
        });
        assertThat(trail.events()).containsExactly("recv first", "poll empty 9", "poll second");
    }

    // Ports test_recv_cancel: a reader cancelled in recv; another task reads the data later.
    @Test
    void recvCancelLeavesTheSocketUsable() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
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

    // Ports test_double_recv: a second task reading a socket someone already waits on fails.
    @Test
    void twoReadersSecondGetsReadResourceBusy() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
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

    // Two writers on a full socket: the second gets WriteResourceBusy; the first, cancelled,
    // reports how much it sent, and the peer receives exactly that.
    @Test
    void twoWritersAndSendallCancelReportsBytesSent() {
        Trail trail = new Trail();
        long[] sent = {-1, 0};
        long received = TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            Socket client = p[0];
            Socket server = p[1];
            Task<Void> writer = Curio.spawn(() -> {
                try {
                    client.sendall(new byte[64 * 1024 * 1024]);
                } catch (CancelledError e) {
                    sent[0] = PartialIo.of(e).bytesSent();
                    trail.add("sendall cancelled");
                    throw e;
                }
            });
            Curio.sleep(1); // the writer fills the buffers and waits
            trail.add("writer state " + writer.state());
            // A send first tries the system call, which may still find room (buffers grow);
            // the first send that has to wait finds the writer waiting.
            try {
                while (true) {
                    sent[1] += client.send(new byte[1 << 20]);
                }
            } catch (WriteResourceBusy e) {
                trail.add("second WriteResourceBusy");
            }
            writer.cancel();
            client.shutdown(Socket.How.SHUT_WR);
            long n = 0;
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            while (server.recvInto(b.clear()) > 0) {
                n += b.position();
            }
            client.close();
            server.close();
            return n;
        });
        assertThat(trail.events()).containsExactly(
                "writer state WRITE_WAIT", "second WriteResourceBusy", "sendall cancelled");
        assertThat(sent[0]).isPositive().isLessThan(64L * 1024 * 1024);
        assertThat(sent[0] + sent[1]).isEqualTo(received);
    }

    // A half-closed connection: the client stops sending; the server reads to end of stream and
    // still answers on the other half.
    @Test
    void halfClose() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
                client.sendall(bytes("request"));
                client.shutdown(Socket.How.SHUT_WR);
                SocketStream in = server.asStream();
                trail.add("server read " + text(in.readall()));
                server.sendall(bytes("response"));
                server.shutdown(Socket.How.SHUT_WR);
                trail.add("client read " + text(client.asStream().readall()));
                trail.add("client at eof " + client.recv(10).length);
            }
        });
        assertThat(trail.events()).containsExactly(
                "server read request", "client read response", "client at eof 0");
    }

    // A peer that resets the connection (SO_LINGER 0 then close): the reader gets an error, not
    // an end of stream.
    @Test
    void peerReset() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
                Task<Void> reader = Curio.spawn(() -> {
                    try {
                        client.recv(100);
                        trail.add("read?");
                    } catch (IOException e) {
                        trail.add("reader " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                });
                Curio.sleep(1);
                server.setOption(StandardSocketOptions.SO_LINGER, 0);
                server.close();
                reader.join();
            }
        });
        assertThat(trail.events()).containsExactly("reader SocketException: Connection reset");
    }

    @Test
    void connectRefused() {
        TestKernels.run(() -> {
            int port;
            try (Socket l = Loopback.listen()) {
                port = Loopback.port(l);
            }
            try (Socket s = Socket.tcp()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port)))
                        .isInstanceOf(ConnectException.class);
            }
            try (Socket s = Socket.tcp()) {
                assertThat(s.connectEx(new InetSocketAddress("127.0.0.1", port))).isInstanceOf(ConnectException.class);
            }
        });
    }

    // Ports test_udp_echo: sendto / recvfrom between two datagram sockets.
    @Test
    void udpEcho() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Socket server = Socket.datagram(StandardProtocolFamily.INET);
                    Socket client = Socket.datagram(StandardProtocolFamily.INET)) {
                server.bind(new InetSocketAddress("127.0.0.1", 0));
                client.bind(new InetSocketAddress("127.0.0.1", 0));
                Task<Void> echo = Curio.spawn(() -> {
                    while (true) {
                        trail.add("recvfrom wait");
                        Socket.Datagram d = server.recvfrom(8192);
                        if (text(d.data()).equals("done")) {
                            break;
                        }
                        trail.add("server " + text(d.data()) + " from client " + d.address().equals(client.localAddress()));
                        server.sendto(d.data(), d.address());
                    }
                });
                for (String m : new String[] {"Msg1", "Msg2"}) {
                    client.sendto(bytes(m), server.localAddress());
                    Socket.Datagram r = client.recvfrom(8192);
                    trail.add("client " + text(r.data()));
                }
                client.sendto(bytes("done"), server.localAddress());
                echo.join();
            }
        });
        assertThat(trail.events()).containsExactly(
                "recvfrom wait", "server Msg1 from client true", "recvfrom wait", "client Msg1",
                "server Msg2 from client true", "recvfrom wait", "client Msg2");
    }

    // Ports test_recvfrom_timeout: the timed-out datagram socket still receives.
    @Test
    void recvfromTimeoutLeavesTheSocketUsable() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Socket s = Socket.datagram(StandardProtocolFamily.INET)) {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                if (Curio.ignoreAfter(Duration.ofSeconds(1), () -> {
                    s.recvfrom(100);
                })) {
                    trail.add("recvfrom timeout");
                }
                s.sendto(bytes("to self"), s.localAddress());
                trail.add(text(s.recvfrom(100).data()));
            }
        });
        assertThat(trail.events()).containsExactly("recvfrom timeout", "to self");
    }

    // Unix domain stream sockets: an echo round trip through a socket file.
    @Test
    void unixStreamEcho(@TempDir Path dir) {
        Path path = dir.resolve("echo.sock");
        String reply = TestKernels.run(() -> {
            try (Socket listener = Socket.server(StandardProtocolFamily.UNIX)) {
                listener.listen(UnixDomainSocketAddress.of(path), 5);
                Task<Void> server = Curio.spawn(() -> {
                    try (Socket c = listener.accept()) {
                        c.sendall(c.recv(100));
                    }
                });
                try (Socket c = Socket.stream(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(path));
                    c.sendall(bytes("over unix"));
                    String r = text(c.recv(100));
                    server.join();
                    return r;
                }
            }
        });
        assertThat(reply).isEqualTo("over unix");
        assertThat(Files.exists(path)).isTrue();
    }

    // Ports test_buffer_into: recvInto fills a caller's buffer.
    @Test
    void recvIntoBuffer() {
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
                server.sendall(bytes("0123456789"));
                server.shutdown(Socket.How.SHUT_WR);
                byte[] buf = new byte[16];
                int n = 0;
                int r;
                while ((r = client.recvInto(buf, n, buf.length - n)) > 0) {
                    n += r;
                }
                assertThat(text(Arrays.copyOf(buf, n))).isEqualTo("0123456789");
            }
        });
    }

    @Test
    void options() {
        TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Socket client = p[0]; Socket server = p[1]) {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
                client.setOption(StandardSocketOptions.SO_SNDBUF, 65_536);
                assertThat(client.getOption(StandardSocketOptions.SO_SNDBUF)).isPositive();
                assertThat(server.remoteAddress()).isEqualTo(client.localAddress());
            }
        });
    }

    // Ports test_socket_blocking: the connection handed to synchronous code in blocking mode; a
    // plain blocking java.net.Socket on another thread is the peer, so blocking is harmless here.
    @Test
    void blockingView() throws Exception {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            try (Socket listener = Loopback.listen()) {
                int port = Loopback.port(listener);
                Thread peer = Thread.ofPlatform().start(() -> {
                    try (var s = new java.net.Socket("127.0.0.1", port)) {
                        s.getOutputStream().write(bytes("Message"));
                        byte[] back = s.getInputStream().readNBytes(7);
                        trail.add("peer got " + text(back));
                    } catch (IOException e) {
                        trail.add("peer failed " + e);
                    }
                });
                try (Socket c = listener.accept(); BlockingView b = c.blocking()) {
                    byte[] got = b.inputStream().readNBytes(7);
                    trail.add("sync code got " + text(got));
                    b.outputStream().write(got);
                    peer.join();
                    // Still a Curio socket afterwards.
                    trail.add("eof " + c.recv(10).length);
                }
            }
        });
        assertThat(trail.events()).containsExactly("sync code got Message", "peer got Message", "eof 0");
    }

    @Test
    void badArguments() {
        TestKernels.run(() -> {
            try (Socket s = Socket.tcp()) {
                assertThatThrownBy(() -> s.recv(-1)).hasMessageContaining("maxBytes");
                assertThatThrownBy(() -> s.shutdown(null)).hasMessageContaining("how");
                assertThatThrownBy(() -> s.accept()).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("accept");
            }
            assertThatThrownBy(() -> new Socket(null)).hasMessageContaining("channel");
        });
    }
}
