package dev.curio.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.io.Socket;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import dev.curio.net.Network;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's chat server driven over loopback by three real, blocking clients on their own
 * threads (as three {@code nc} sessions would be). The kernel's main task waits for each client
 * step as for a future, so the server runs meanwhile; it moves on only when the step's effect is
 * seen (a line received, a subscriber added, a log line written), so the transcript is exact.
 * In the log, each client's address is replaced by its name: the task-local address must name
 * the right client in every line, including those written by its {@code incoming} task.
 */
@org.junit.jupiter.api.Timeout(120) // a guard against a hung server, not a timing assertion
class ChatServerTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final Map<String, String> names = new LinkedHashMap<>();

    /** A blocking chat client. */
    private static final class Client {
        final String name;
        final java.net.Socket socket;
        final InputStream in;

        Client(String name, int port) throws IOException {
            this.name = name;
            this.socket = new java.net.Socket("127.0.0.1", port);
            this.in = socket.getInputStream();
        }

        void send(String s) throws IOException {
            socket.getOutputStream().write(s.getBytes(StandardCharsets.UTF_8));
        }

        /** Reads exactly {@code n} bytes (the prompt has no newline). */
        String read(int n) throws IOException {
            return new String(in.readNBytes(n), StandardCharsets.UTF_8);
        }

        /** Reads one line, newline included; what is left at end of stream. */
        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0; ) {
                b.write(c);
                if (c == '\n') {
                    break;
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        }
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

    private List<String> log() {
        List<String> lines = new ArrayList<>();
        for (String l : bytes.toString(StandardCharsets.UTF_8).lines().toList()) {
            for (var e : names.entrySet()) {
                l = l.replace(e.getKey(), e.getValue());
            }
            lines.add(l);
        }
        return lines;
    }

    /** Yields until {@code done} holds (each check after the server has had its turn). */
    private static void await(java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            Curio.sleep(0.01);
        }
    }

    /** Connects {@code name}: prompt, name, and waits until the server has subscribed it. */
    private Client join(ChatServer chat, int port, String name, List<String> transcript) {
        int before = chat.subscriberCount();
        Client c = external(() -> new Client(name, port));
        names.put("/127.0.0.1:" + c.socket.getLocalPort(), "<" + name + ">");
        transcript.add(name + " got [" + external(() -> c.read("Your name: ".length())) + "]");
        external(() -> {
            c.send(name + "\n");
            return null;
        });
        await(() -> chat.subscriberCount() == before + 1);
        return c;
    }

    private static void hear(List<String> transcript, Client... clients) {
        for (Client c : clients) {
            transcript.add(c.name + " got " + external(c::line).strip());
        }
    }

    // The tutorial's session: three clients join (each earlier one hears of the later ones), one
    // speaks (all hear it, the speaker too), one leaves (the others hear it), then the server is
    // cancelled: every client still connected gets the going-away line, then the end of stream.
    @Test
    void threeClientsChatThenTheServerGoesAway() throws IOException {
        Socket listener = Network.tcpServerSocket("127.0.0.1", 0);
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        ChatServer chat = new ChatServer(out);
        List<String> transcript = new ArrayList<>();
        TestKernels.run(() -> {
            Task<Void> server = Curio.spawn("chat", () -> chat.chatServer(listener));
            Client alice = join(chat, port, "alice", transcript);
            Client bob = join(chat, port, "bob", transcript);
            hear(transcript, alice);
            Client carol = join(chat, port, "carol", transcript);
            hear(transcript, alice, bob);

            external(() -> {
                alice.send("hello everyone\n");
                return null;
            });
            hear(transcript, alice, bob, carol);

            external(() -> {
                carol.socket.close();
                return null;
            });
            hear(transcript, alice, bob);
            await(() -> log().contains("<carol> connection closed"));

            server.cancel();
            for (Client c : List.of(alice, bob)) {
                transcript.add(c.name + " got " + external(() -> new String(c.in.readAllBytes(),
                        StandardCharsets.UTF_8)).strip() + ", then the end");
                c.socket.close();
            }
        });
        assertThat(transcript).containsExactly(
                "alice got [Your name: ]",
                "bob got [Your name: ]",
                "alice got bob:joined",
                "carol got [Your name: ]",
                "alice got carol:joined",
                "bob got carol:joined",
                "alice got alice:hello everyone",
                "bob got alice:hello everyone",
                "carol got alice:hello everyone",
                "alice got carol:has gone away",
                "bob got carol:has gone away",
                "alice got SERVER IS GOING AWAY!, then the end",
                "bob got SERVER IS GOING AWAY!, then the end");
        assertThat(log()).containsExactly(
                "Connection from <alice>",
                "<alice> published alice:joined",
                "Connection from <bob>",
                "<bob> published bob:joined",
                "Connection from <carol>",
                "<carol> published carol:joined",
                "<alice> published alice:hello everyone",
                "<carol> published carol:has gone away",
                "<carol> connection closed");
    }
}
