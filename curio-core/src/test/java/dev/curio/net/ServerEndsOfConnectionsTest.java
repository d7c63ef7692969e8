package dev.curio.net;

import static dev.curio.io.Loopback.bytes;
import static dev.curio.io.Loopback.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.LogCapture;
import dev.curio.TaskCancelled;
import dev.curio.TestKernels;
import dev.curio.Trail;
import dev.curio.io.Loopback;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a server's connections end without ending the server: an operator cancelling clients as a
 * group, peers that reset, and handlers that really crash.
 */
class ServerEndsOfConnectionsTest {

    /** An echo server that records each handler's task in {@code handlers}. */
    private static Task<Void> echoServer(Socket listener, List<Task<?>> handlers) {
        return Curio.spawn("server", () -> Network.runServer(listener, (client, addr) -> {
            handlers.add(Kernel.currentTask());
            SocketStream s = client.asStream();
            for (byte[] line : s) {
                s.write(line);
            }
        }));
    }

    private static String exchange(Socket sock, String line) throws Exception {
        SocketStream s = sock.asStream();
        s.write(bytes(line + "\n"));
        return text(s.readline()).strip();
    }

    // What the actuator's {"group": true} does: every live task sharing the client's group is
    // cancelled through the kernel's inbox. The accepting task is not among them.
    @Test
    void cancellingAClientWithItsGroupLeavesTheServerAccepting() {
        Trail trail = new Trail();
        TestKernels.run(() -> {
            Socket listener = Loopback.listen();
            int port = Loopback.port(listener);
            List<Task<?>> handlers = new ArrayList<>();
            Task<Void> server = echoServer(listener, handlers);
            try (Socket a = Network.openConnection("127.0.0.1", port);
                    Socket b = Network.openConnection("127.0.0.1", port)) {
                trail.add("a " + exchange(a, "one"));
                trail.add("b " + exchange(b, "two"));
                Kernel k = Kernel.current();
                Object group = handlers.get(0).group();
                List<Task<?>> members = k.tasks().stream().filter(t -> t.group() == group).toList();
                assertThat(members).containsExactlyInAnyOrderElementsOf(handlers);
                for (Task<?> t : members) {
                    k.cancelTask(t.id(), new TaskCancelled("operator cancelled the group"));
                }
                trail.add("a after cancel: '" + text(a.asStream().readall()) + "'");
                trail.add("b after cancel: '" + text(b.asStream().readall()) + "'");
            }
            try (Socket c = Network.openConnection("127.0.0.1", port)) {
                trail.add("fresh c " + exchange(c, "three"));
            }
            trail.add("server still running: " + !server.terminated());
            server.cancel();
        });
        assertThat(trail.events()).containsExactly("a one", "b two", "a after cancel: ''", "b after cancel: ''",
                "fresh c three", "server still running: true");
    }

    /** Connects, says one line, and resets the connection (SO_LINGER 0 makes close send an RST). */
    private static void connectAndReset(int port, Event handlerEnded) throws Exception {
        Socket sock = Network.openConnection("127.0.0.1", port);
        sock.asStream().write(bytes("hello\n"));
        sock.asStream().readline(); // the server has read our line and answered
        sock.setOption(StandardSocketOptions.SO_LINGER, 0);
        sock.close();
        handlerEnded.await();
    }

    @Test
    void aPeerResetWhileReadingEndsTheConnectionQuietly() {
        // The line iterator wraps the reset in an UncheckedIOException: still a peer's end.
        peerResetEndsTheConnectionQuietly((client, ended) -> {
            SocketStream s = client.asStream();
            try {
                for (byte[] line : s) {
                    s.write(line);
                }
            } finally {
                ended.set();
            }
        });
    }

    @Test
    void aBrokenPipeWhileWritingEndsTheConnectionQuietly() {
        peerResetEndsTheConnectionQuietly((client, ended) -> {
            SocketStream s = client.asStream();
            s.write(s.readline());
            try {
                while (true) { // fills the buffers, then fails once the peer has reset
                    s.write(new byte[64 * 1024]);
                }
            } finally {
                ended.set();
            }
        });
    }

    private interface EndingHandler {
        void handle(Socket client, Event ended) throws Exception;
    }

    private void peerResetEndsTheConnectionQuietly(EndingHandler handler) {
        try (LogCapture net = LogCapture.of(Network.class); LogCapture kernel = LogCapture.of(Kernel.class)) {
            long[] resets = new long[1];
            TestKernels.run(() -> {
                Socket listener = Loopback.listen();
                int port = Loopback.port(listener);
                Event ended = new Event();
                Task<Void> server = Curio.spawn("server", () -> Network.runServer(listener,
                        (client, addr) -> handler.handle(client, ended)));
                long before = NetworkStatistics.of(Kernel.current()).peerResets();
                connectAndReset(port, ended);
                resets[0] = NetworkStatistics.of(Kernel.current()).peerResets() - before;
                server.cancel();
            });
            assertThat(kernel.lines("ERROR")).isEmpty();
            assertThat(net.lines("DEBUG")).singleElement().asString()
                    .matches("DEBUG client /127\\.0\\.0\\.1:\\d+ of server /127\\.0\\.0\\.1:\\d+ ended by the peer: "
                            + "(Connection reset|Connection reset by peer|Broken pipe)");
            assertThat(net.thrown()).containsOnlyNulls(); // no stack trace
            assertThat(resets[0]).isEqualTo(1);
        }
    }

    @Test
    void aHandlerThatReallyCrashesIsStillLoggedAsACrash() {
        try (LogCapture net = LogCapture.of(Network.class); LogCapture kernel = LogCapture.of(Kernel.class)) {
            TestKernels.run(() -> {
                Socket listener = Loopback.listen();
                int port = Loopback.port(listener);
                Event ended = new Event();
                Task<Void> server = Curio.spawn("server", () -> Network.runServer(listener, (client, addr) -> {
                    try {
                        client.asStream().readline();
                        String missing = null;
                        missing.length();
                    } finally {
                        ended.set();
                    }
                }));
                try (Socket sock = Network.openConnection("127.0.0.1", port)) {
                    sock.asStream().write(bytes("hello\n"));
                    ended.await();
                }
                server.cancel();
            });
            assertThat(kernel.lines("ERROR")).singleElement().asString()
                    .matches("ERROR Task Crash: Task\\(id=\\d+, name='client /127\\.0\\.0\\.1:\\d+'.*");
            assertThat(kernel.thrown().get(0)).isInstanceOf(NullPointerException.class);
            assertThat(net.lines()).isEmpty();
        }
    }
}
