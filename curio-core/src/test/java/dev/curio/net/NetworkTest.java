package dev.curio.net;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.io.Loopback;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import dev.curio.task.TaskGroup;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections and servers over loopback, ported from Curio 1.6's {@code tests/test_network.py}
 * (the plain TCP and Unix scenarios; TLS is not ported yet).
 */
class NetworkTest {

    /** Runs a server on a listening socket made here, so the test knows its port before clients connect. */
    private static Task<Void> serve(Socket listener, ClientHandler handler) {
        return Curio.spawn("server", () -> Network.runServer(listener, handler));
    }

    // Ports test_network.py test_tcp_echo: tcp_server with a stream handler, a client from
    // open_connection; cancelling the server ends it.
    @Test
    void tcpServerEcho() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            int port = Loopback.port(listener);
            Event done = new Event();
            Task<Void> server = serve(listener, (client, addr) -> {
                trail.add("handler start");
                SocketStream s = client.asStream();
                for (byte[] line : s) {
                    trail.add("handler " + text(line).strip());
                    s.write(line);
                }
                trail.add("handler done");
                done.set();
            });
            try (Socket sock = Network.openConnection("127.0.0.1", port)) {
                SocketStream s = sock.asStream();
                for (String m : new String[] {"Msg1\n", "Msg2\n"}) {
                    s.write(bytes(m));
                    trail.add("client " + text(s.readline()).strip());
                }
                trail.add("client close");
            }
            done.await();
            server.cancel();
            trail.add("server " + (server.exception() instanceof CancelledError ? "cancelled" : "?"));
        });
        assertThat(trail.events()).containsExactly(
                "handler start", "handler Msg1", "client Msg1", "handler Msg2", "client Msg2",
                "client close", "handler done", "server cancelled");
    }

    // The tutorial's managed echo server: cancelling the server cancels every client, and each
    // client still writes its goodbye on its socket before it is closed.
    @Test
    void cancellingTheServerCancelsEveryClient() {
        List<String> goodbyes = new ArrayList<>();
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            int port = Loopback.port(listener);
            Task<Void> server = serve(listener, (client, addr) -> {
                SocketStream s = client.asStream();
                try {
                    for (byte[] line : s) {
                        s.write(line);
                    }
                } catch (CancelledError e) {
                    s.write(bytes("SERVER IS GOING AWAY!\n"));
                    throw e;
                }
            });
            List<SocketStream> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SocketStream s = Network.openConnection("127.0.0.1", port).asStream();
                s.write(bytes("hello " + i + "\n"));
                assertThat(text(s.readline())).isEqualTo("hello " + i + "\n");
                clients.add(s);
            }
            server.cancel();
            for (SocketStream s : clients) {
                goodbyes.add(text(s.readall()));
                s.close();
            }
        });
        assertThat(goodbyes).containsExactly(
                "SERVER IS GOING AWAY!\n", "SERVER IS GOING AWAY!\n", "SERVER IS GOING AWAY!\n");
    }

    // A client handler that fails is logged and closed; the server goes on serving others.
    @Test
    void aFailingClientDoesNotStopTheServer() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            int port = Loopback.port(listener);
            Task<Void> server = serve(listener, (client, addr) -> {
                byte[] b = client.recv(100);
                if (text(b).equals("crash")) {
                    throw new IllegalStateException("handler crashed on purpose");
                }
                client.sendall(b);
            });
            try (Socket a = Network.openConnection("127.0.0.1", port)) {
                a.sendall(bytes("crash"));
                trail.add("crashed client sees eof " + a.recv(10).length);
            }
            try (Socket b = Network.openConnection("127.0.0.1", port)) {
                b.sendall(bytes("fine"));
                trail.add("next client " + text(b.recv(10)));
            }
            server.cancel();
        });
        assertThat(trail.events()).containsExactly("crashed client sees eof 0", "next client fine");
    }

    // 1,000 clients connected at once to one server on one kernel, each with its own round trip.
    @Test
    void thousandConcurrentClients() {
        int n = 1000;
        int[] ok = {0};
        TestKernels.run(() -> {
            Socket listener = Network.tcpServerSocket("127.0.0.1", 0, ServerOptions.defaults().backlog(n));
            int port = Loopback.port(listener);
            Task<Void> server = serve(listener, (client, addr) -> {
                SocketStream s = client.asStream();
                for (byte[] line : s) {
                    s.write(line);
                }
            });
            Event go = new Event();
            try (TaskGroup g = new TaskGroup()) {
                for (int i = 0; i < n; i++) {
                    String msg = "client " + i + "\n";
                    g.spawn(() -> {
                        try (Socket c = Network.openConnection("127.0.0.1", port)) {
                            go.await(); // every connection is open before any message
                            SocketStream s = c.asStream();
                            s.write(bytes(msg));
                            if (text(s.readline()).equals(msg)) {
                                ok[0]++;
                            }
                        }
                    });
                }
                go.set();
                g.join();
            }
            server.cancel();
        });
        assertThat(ok[0]).isEqualTo(n);
    }

    // A closed listening socket gives its port back at once: a new server can listen on it.
    // (The managed echo server restarts on the same port right after cancelling the old one.)
    @Test
    void closedListenerFreesItsPortAtOnce() {
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            int port = Loopback.port(listener);
            Curio.ignoreAfter(java.time.Duration.ofSeconds(1), () -> {
                listener.accept(); // registers the socket with the kernel's selector
            });
            listener.close();
            try (Socket again = Network.tcpServerSocket("127.0.0.1", port)) {
                assertThat(Loopback.port(again)).isEqualTo(port);
            }
        });
    }

    @Test
    void connectionRefused() {
        TestKernels.run(() -> {
            int port;
            try (Socket l = Loopback.listen()) {
                port = Loopback.port(l);
            }
            assertThatThrownBy(() -> Network.openConnection("127.0.0.1", port)).isInstanceOf(ConnectException.class);
        });
    }

    // Name look-ups run off the kernel; literals and the wildcard are not looked up.
    @Test
    void lookups() {
        TestKernels.run(() -> {
            assertThat(Network.getaddrinfo("127.0.0.1", 80))
                    .containsExactly(new InetSocketAddress("127.0.0.1", 80));
            assertThat(Network.getaddrinfo("", 80).get(0).getAddress().isAnyLocalAddress()).isTrue();
            assertThat(Network.getaddrinfo("localhost", 25000))
                    .allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
            assertThat(Network.gethostname()).isNotEmpty();
            assertThatThrownBy(() -> Network.getaddrinfo("localhost", 70000)).hasMessageContaining("port");
        });
    }

    // Over IPv6 loopback too.
    @Test
    void ipv6Echo() {
        String reply = TestKernels.run(() -> {
            Socket listener = Network.tcpServerSocket("::1", 0,
                    ServerOptions.defaults().family(java.net.StandardProtocolFamily.INET6));
            int port = Loopback.port(listener);
            Task<Void> server = serve(listener, (c, a) -> c.sendall(c.recv(100)));
            try (Socket s = Network.openConnection("::1", port)) {
                s.sendall(bytes("six"));
                String r = text(s.recv(100));
                server.cancel();
                return r;
            }
        });
        assertThat(reply).isEqualTo("six");
    }

    // Ports the unix server scenario: unix_server / open_unix_connection.
    @Test
    void unixServerEcho(@TempDir Path dir) {
        Path path = dir.resolve("s.sock");
        String reply = TestKernels.run(() -> {
            Task<Void> server = Curio.spawn(() -> Network.unixServer(path, (c, a) -> c.sendall(c.recv(100))));
            while (!java.nio.file.Files.exists(path)) {
                Curio.sleep(0); // the server task binds at its first run
            }
            try (Socket s = Network.openUnixConnection(path)) {
                s.sendall(bytes("unix"));
                String r = text(s.recv(100));
                server.cancel();
                return r;
            }
        });
        assertThat(reply).isEqualTo("unix");
    }
}
