package dev.curio.net;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Trail;
import dev.curio.io.Loopback;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.io.TlsSocket;
import dev.curio.io.TlsStream;
import dev.curio.io.TlsTestCerts;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import dev.curio.task.TaskGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Idle and handshake timeouts of servers. The kernel runs on a manual clock that only the test
 * moves, and the clients are plain blocking sockets of the test thread, so time passes exactly
 * where the scenario says and never while bytes are in flight.
 */
class ServerTimeoutsTest {

    private static final Duration IDLE = Duration.ofSeconds(10);

    /** A client of the test thread: blocking, with a 30 s guard against hanging the build. */
    private record Client(java.net.Socket sock, BufferedReader in) {
        static Client connect(int port) throws Exception {
            java.net.Socket s = new java.net.Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            s.setSoTimeout(30_000);
            return new Client(s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
        }

        String exchange(String line) throws Exception {
            sock.getOutputStream().write(bytes(line + "\n"));
            return in.readLine();
        }
    }

    /** Waits until {@code n} tasks of the kernel satisfy {@code what}, asking the kernel itself. */
    private static void awaitTasks(Kernel k, long n, Predicate<Task<?>> what) throws Exception {
        while (k.inKernel(kk -> kk.tasks().stream().filter(what).count()).get(30, TimeUnit.SECONDS) < n) {
            Thread.onSpinWait();
        }
    }

    private static void awaitTask(Kernel k, Predicate<Task<?>> what) throws Exception {
        awaitTasks(k, 1, what);
    }

    private static long cycles(Kernel k, String name) throws Exception {
        return k.inKernel(kk -> kk.tasks().stream().filter(t -> t.name().startsWith(name)).findFirst()
                .orElseThrow().cycles()).get(30, TimeUnit.SECONDS);
    }

    /** Moves the clock by one look of the idle watch (half the timeout) and waits for that look to be done. */
    private static void look(KernelThread kt, ManualClock clock) throws Exception {
        long before = cycles(kt.kernel(), "idle watch");
        clock.advance(IDLE.dividedBy(2));
        awaitTask(kt.kernel(), t -> t.name().startsWith("idle watch") && t.cycles() > before
                && t.state().equals("TIME_SLEEP"));
    }

    // Each handler greets, then echoes lines from a child task, as a chat server's reader does:
    // the silent client is closed for its child's silence, the chatty one is kept.
    @Test
    void aClientThatSendsNothingIsClosedAfterTheIdleTimeoutAndAChattyOneIsKept() throws Exception {
        Trail trail = new Trail();
        int[] silentPort = new int[1];
        ManualClock clock = ManualClock.manual();
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("idle").clock(clock).build())) {
            Kernel k = kt.kernel();
            Socket listener = kt.submit("listen", Loopback::listen).get();
            int port = Loopback.port(listener);
            kt.submit("server", () -> {
                Network.runServer(listener, (client, addr) -> {
                    SocketStream s = client.asStream();
                    s.write(bytes("hello\n"));
                    try (TaskGroup g = new TaskGroup()) {
                        g.spawn("reader", () -> {
                            for (byte[] line : s) {
                                s.write(line);
                            }
                        });
                        g.join();
                    } catch (CancelledError e) {
                        trail.add("handler of " + ((InetSocketAddress) addr).getPort() + ": "
                                + e.getClass().getSimpleName());
                        s.write(bytes("bye\n"));
                        throw e;
                    }
                }, ServerOptions.defaults().idleTimeout(IDLE));
                return null;
            });
            Client silent = Client.connect(port);
            Client chatty = Client.connect(port);
            assertThat(silent.in.readLine()).isEqualTo("hello");
            assertThat(chatty.in.readLine()).isEqualTo("hello");
            assertThat(chatty.exchange("0 s")).isEqualTo("0 s");
            awaitTasks(k, 2, t -> t.name().equals("reader") && t.state().equals("READ_WAIT"));
            silentPort[0] = silent.sock.getLocalPort();

            look(kt, clock); // 5 s: both seen waiting to read
            trail.add("chatty " + chatty.exchange("5 s"));
            look(kt, clock); // 10 s: the silent one was seen 5 s ago only
            trail.add("silent still served: " + k.inKernel(kk -> kk.tasks().stream()
                    .anyMatch(t -> t.name().equals("client /127.0.0.1:" + silentPort[0]))).get());
            trail.add("chatty " + chatty.exchange("10 s"));
            look(kt, clock); // 15 s: the silent one has waited for 10 s at least
            trail.add("silent reads " + silent.in.readLine() + ", then " + silent.in.readLine());
            trail.add("chatty " + chatty.exchange("15 s"));
            assertThat(NetworkStatistics.of(k).idleTimeouts()).isEqualTo(1);
            silent.sock.close();
            chatty.sock.close();
        }
        assertThat(trail.events()).containsExactly("chatty 5 s", "silent still served: true", "chatty 10 s",
                "handler of " + silentPort[0] + ": ClientIdleTimeout", "silent reads bye, then null", "chatty 15 s");
    }

    @Test
    void aTlsClientThatNeverCompletesItsHandshakeIsClosedUnserved() throws Exception {
        TlsTestCerts certs = TlsTestCerts.get();
        SSLContext serverContext = certs.serverContext();
        SSLContext clientContext = certs.clientContext();
        Trail trail = new Trail();
        ManualClock clock = ManualClock.manual();
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("handshakes").clock(clock).build())) {
            Kernel k = kt.kernel();
            Socket listener = kt.submit("listen", Loopback::listen).get();
            int port = Loopback.port(listener);
            kt.submit("server", () -> {
                Network.runServer(listener, (TlsSocket client, java.net.SocketAddress addr) -> {
                    trail.add("handler called, " + client.version());
                    TlsStream s = client.asStream();
                    s.write(s.readline());
                }, serverContext, null, ServerOptions.defaults().handshakeTimeout(Duration.ofSeconds(5)));
                return null;
            });
            Client mute = Client.connect(port); // plain TCP: never says a word of TLS
            awaitTask(k, t -> t.name().startsWith("client ") && t.state().equals("READ_WAIT"));
            CompletableFuture<String> good = kt.submit("tls client", () -> {
                try (TlsSocket c = Network.openConnection("127.0.0.1", port, clientContext, null, null)) {
                    TlsStream s = c.asStream();
                    s.write(bytes("secure\n"));
                    return text(s.readline()).strip();
                }
            });
            trail.add("tls client got " + good.get(30, TimeUnit.SECONDS));
            clock.advance(Duration.ofSeconds(5));
            byte[] rest = mute.sock.getInputStream().readAllBytes(); // up to the end of stream
            trail.add("mute client reads " + (rest.length > 0 && rest[0] == 21 ? "a TLS alert" : rest.length + " bytes")
                    + ", then the end");
            assertThat(NetworkStatistics.of(k).handshakeTimeouts()).isEqualTo(1);
            mute.sock.close();
        }
        assertThat(trail.events()).containsExactly("handler called, TLSv1.3", "tls client got secure",
                "mute client reads a TLS alert, then the end");
    }

    @Test
    void badTimeoutsAreRefusedByName() {
        assertThatThrownBy(() -> ServerOptions.defaults().idleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout must be positive (null for none), was PT0S");
        assertThatThrownBy(() -> ServerOptions.defaults().idleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout must be positive (null for none), was PT-1S");
        assertThatThrownBy(() -> ServerOptions.defaults().handshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("handshakeTimeout must be positive (null for none), was PT0S");
        assertThatThrownBy(() -> ServerOptions.defaults().idleTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("idleTimeout");
        ServerOptions o = ServerOptions.defaults().idleTimeout(IDLE).handshakeTimeout(Duration.ofSeconds(3));
        assertThat(List.of(o.idleTimeout(), o.handshakeTimeout())).containsExactly(IDLE, Duration.ofSeconds(3));
        assertThat(ServerOptions.defaults().idleTimeout()).isNull();
    }
}
