package dev.curio.examples.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.io.Socket;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import dev.curio.sync.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's echo servers driven over loopback by real, blocking clients on their own
 * threads (as {@code nc} would be). The kernel's main task waits for each client step as for a
 * future, so the servers keep running meanwhile. Client addresses in the output are replaced by
 * "ADDR" (their ports vary).
 */
@org.junit.jupiter.api.Timeout(120) // a guard against a hung server, not a timing assertion
class EchoExamplesTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> output() {
        return bytes.toString(StandardCharsets.UTF_8).lines()
                .map(l -> l.replaceAll("/127\\.0\\.0\\.1:\\d+", "ADDR")).toList();
    }

    /** Runs {@code step} on a new platform thread; the calling task waits for it in the kernel. */
    private static <T> T external(Callable<T> step) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                f.complete(step.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        Kernel.trap(new Trap.FutureWait(f));
        return f.join();
    }

    /** A blocking client: connects, sends each message and reads its echo, then closes. */
    private static List<String> chat(int port, String... messages) {
        return external(() -> {
            List<String> replies = new ArrayList<>();
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                for (String m : messages) {
                    byte[] b = m.getBytes(StandardCharsets.UTF_8);
                    s.getOutputStream().write(b);
                    replies.add(new String(s.getInputStream().readNBytes(b.length), StandardCharsets.UTF_8));
                }
            }
            return replies;
        });
    }

    /** Waits (yielding) until {@code line} has been printed. */
    private void awaitOutput(String line) {
        while (!output().contains(line)) {
            Curio.sleep(0.01);
        }
    }

    /** Waits (yielding) until {@code server} listens (its accept task exists) or has died. */
    private static void awaitListening(Task<?> server) {
        while (!taskNamed("accept") && !server.terminated()) {
            Curio.sleep(0);
        }
    }

    /** The ids of the accepting tasks of the kernel's servers (one per server, started once it listens). */
    private static java.util.Set<Long> acceptTasks() {
        return Kernel.current().tasks().stream().filter(t -> t.name() != null && t.name().startsWith("accept"))
                .map(Task::id).collect(java.util.stream.Collectors.toSet());
    }

    private static boolean taskNamed(String prefix) {
        return Kernel.current().tasks().stream().anyMatch(t -> t.name() != null && t.name().startsWith(prefix));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void echoServerSocketForm() {
        List<String> replies = TestKernels.run(() -> {
            Socket listener = EchoServer.listen("127.0.0.1", 0);
            int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
            Task<Void> server = Curio.spawn(() -> EchoServer.echoServer(listener, out));
            List<String> r = chat(port, "Hello\n", "Is anyone there?\n");
            awaitOutput("Connection closed");
            server.cancel();
            return r;
        });
        assertThat(replies).containsExactly("Hello\n", "Is anyone there?\n");
        assertThat(output()).containsExactly("Server listening at ADDR", "Connection from ADDR", "Connection closed");
    }

    @Test
    void echoServerTcpServerForm() throws IOException {
        int port = freePort();
        List<String> replies = TestKernels.run(() -> {
            Task<Void> server = Curio.spawn(() -> EchoServer.tcpServerForm("127.0.0.1", port, out));
            awaitListening(server);
            List<String> r = chat(port, "Hello\n");
            awaitOutput("Connection closed");
            server.cancel();
            return r;
        });
        assertThat(replies).containsExactly("Hello\n");
        assertThat(output()).containsExactly("Connection from ADDR", "Connection closed");
    }

    @Test
    void streamEchoServers() {
        List<String> replies = TestKernels.run(() -> {
            List<String> r = new ArrayList<>();
            for (boolean lines : new boolean[] {false, true}) {
                int port = freePort();
                Task<Void> server = Curio.spawn(() -> dev.curio.net.Network.tcpServer("127.0.0.1", port,
                        lines ? (c, a) -> StreamEchoServer.lineEcho(c, a, out)
                                : (c, a) -> StreamEchoServer.chunkEcho(c, a, out),
                        dev.curio.net.ServerOptions.defaults()));
                awaitListening(server);
                r.addAll(chat(port, "one\n", "two\n"));
                awaitOutput("Connection closed");
                server.cancel();
                bytes.reset();
            }
            return r;
        });
        assertThat(replies).containsExactly("one\n", "two\n", "one\n", "two\n");
    }

    // The managed echo server: two clients connected when the restart comes each get the
    // goodbye line then the end of stream; a new client is served by the restarted server on
    // the same port.
    @Test
    void managedEchoServerSaysGoodbyeAndRestarts() throws IOException {
        int port = freePort();
        List<String> seen = new ArrayList<>();
        TestKernels.run(() -> {
            Event restart = new Event();
            Task<Void> managed = Curio.spawn(() -> ManagedEchoServer.serve("127.0.0.1", port, restart, 1, out));
            awaitListening(managed);
            var a = new java.net.Socket[2];
            for (int i = 0; i < 2; i++) {
                int n = i;
                seen.add(external(() -> {
                    a[n] = new java.net.Socket("127.0.0.1", port);
                    a[n].getOutputStream().write(("hi " + n + "\n").getBytes(StandardCharsets.UTF_8));
                    return new String(a[n].getInputStream().readNBytes(5), StandardCharsets.UTF_8);
                }));
            }
            java.util.Set<Long> oldAccept = acceptTasks();
            restart.set();
            for (java.net.Socket s : a) {
                seen.add(external(() -> {
                    try (s; InputStream in = s.getInputStream()) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }));
            }
            // The restarted server binds the same port again (or dies trying): its accept task is a new
            // one (the old server's may still be on its way out, so any accept task would not do).
            while (oldAccept.containsAll(acceptTasks()) && !managed.terminated()) {
                Curio.sleep(0);
            }
            seen.addAll(chat(port, "after restart\n"));
            awaitOutput("Connection closed");
            restart.set();
            managed.join();
        });
        assertThat(seen).containsExactly("hi 0\n", "hi 1\n",
                "SERVER IS GOING AWAY!\n", "SERVER IS GOING AWAY!\n", "after restart\n");
        assertThat(output()).containsExactly(
                "Starting the server", "Connection from ADDR", "Connection from ADDR",
                "Server shutting down", "Starting the server", "Connection from ADDR", "Connection closed",
                "Server shutting down");
    }
}
