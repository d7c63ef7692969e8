package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import dev.curio.net.Network;
import dev.curio.net.ServerOptions;
import dev.curio.workers.Workers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The chat server against clients that do not play along: one that never reads is disconnected
 * once its backlog is full while the others go on being served, one that sends nothing is closed
 * after the idle timeout, and client text reaches the log escaped, messages at DEBUG only.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChatServerHostileClientsTest {

    private static final int BACKLOG = 4;
    private static final int MESSAGE = 16 * 1024;
    /** More messages than the socket buffers between the server and the reader-less client can hold. */
    private static final int MOST_MESSAGES = 5000;

    @Test
    void aClientThatNeverReadsIsDisconnectedSayingWhyAndTheOthersAreStillServed(CapturedOutput output)
            throws Exception {
        List<String> trail = new ArrayList<>();
        // the innocent client reads each message before the next is sent: only the slow one is ever waited for
        ChatServer chat = new ChatServer(BACKLOG, 1 << 20, Duration.ofSeconds(60), Duration.ofMillis(200),
                ServerOptions.defaults());
        Curio.run(() -> {
            Socket listener = Network.tcpServerSocket("127.0.0.1", 0);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            var server = Curio.spawn("chat-server", () -> chat.serve(listener));
            java.net.Socket slow = Workers.runInThread(() -> {
                java.net.Socket s = new java.net.Socket();
                s.setReceiveBufferSize(4096); // fills soon: the server's writes to it then wait
                s.connect(new InetSocketAddress("127.0.0.1", port));
                s.setSoTimeout(60_000); // a hang guard
                return s;
            });
            BufferedReader slowIn = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
            Workers.runInThread(() -> {
                slow.getOutputStream().write("slow\nhello\n".getBytes(StandardCharsets.UTF_8));
                return null;
            });
            // its own hello back: subscribed (its "joined" went out before it subscribed); it reads no more
            assertThat(Workers.runInThread(slowIn::readLine)).isEqualTo("Your name: slow:hello");
            LineClient innocent = Workers.runInThread(() -> new LineClient(port));
            Workers.runInThread(() -> { SampleApplicationTest.join(innocent, "innocent"); return null; });
            String big = "x".repeat(MESSAGE);
            int sent = 0;
            while (chat.disconnectedForFallingBehind() == 0 && sent < MOST_MESSAGES) {
                int n = ++sent;
                // the innocent client gets its own message back: the dispatcher has handled it for everyone
                assertThat(Workers.runInThread(() -> { innocent.send(n + big); return innocent.readLine(); }))
                        .isEqualTo("innocent:" + n + big);
            }
            trail.add("slow disconnected: " + chat.disconnectedForFallingBehind() + ", subscribers " + chat.subscribers());
            // the slow client drains what was written to it: its last line says why it was disconnected
            List<String> slowLines = Workers.runInThread(() -> {
                List<String> lines = new ArrayList<>();
                for (String l = slowIn.readLine(); l != null; l = slowIn.readLine()) {
                    lines.add(l);
                }
                return lines;
            });
            String last = slowLines.get(slowLines.size() - 1);
            trail.add("slow's last line starts: " + last.substring(0, ChatServer.TOO_FAR_BEHIND.length() + 2));
            trail.add("innocent got " + Workers.runInThread(innocent::readLine));
            LineClient fresh = Workers.runInThread(() -> new LineClient(port));
            Workers.runInThread(() -> { SampleApplicationTest.join(fresh, "fresh"); return null; });
            trail.add("innocent got " + Workers.runInThread(innocent::readLine));
            trail.add("innocent got " + Workers.runInThread(innocent::readLine));
            trail.add("subscribers " + chat.subscribers());
            assertThat(sent).isLessThan(MOST_MESSAGES);
            server.cancel();
            innocent.close();
            fresh.close();
            slow.close();
            return null;
        });
        assertThat(trail).containsExactly("slow disconnected: 1, subscribers 1",
                "slow's last line starts: " + ChatServer.TOO_FAR_BEHIND + " (", "innocent got slow:has gone away",
                "innocent got fresh:joined", "innocent got fresh:hello", "subscribers 2");
        assertThat(output).contains("(slow) disconnected: " + ChatServer.TOO_FAR_BEHIND);
        assertThat(output).doesNotContain(" published "); // messages are DEBUG lines, not INFO ones
    }

    /**
     * One client floods as fast as it can while a fast reader reads everything and a stalled
     * reader reads nothing: the dispatcher waits for the stalled one (the flooder is slowed down,
     * back-pressure) instead of dropping whoever is behind, and once the stalled one has taken no
     * message for the stall timeout (on the kernel's manual clock, moved by the test) it alone is
     * disconnected. The fast reader gets every flooded message, in order, and the line sent after
     * the flood. (At full speed one flooder used to fill a fast reader's 1 MiB backlog in a few
     * milliseconds, and the reader was disconnected.)
     */
    @Test
    void aFlooderSlowsDownAndOnlyTheReaderThatStoppedReadingIsDropped() throws Exception {
        Duration stall = Duration.ofSeconds(10);
        ManualClock clock = ManualClock.manual();
        ChatServer chat = new ChatServer(16, 1 << 20, Duration.ofSeconds(60), stall, ServerOptions.defaults());
        List<String> trail = new ArrayList<>();
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("flood").clock(clock).build())) {
            Kernel k = kt.kernel();
            Socket listener = kt.submit("listen", () -> Network.tcpServerSocket("127.0.0.1", 0)).get();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            kt.submit("chat-server", () -> {
                chat.serve(listener);
                return null;
            });
            java.net.Socket stalled = new java.net.Socket();
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            stalled.setSoTimeout(60_000); // a hang guard
            String stalledHandler = "client /127.0.0.1:" + stalled.getLocalPort();
            BufferedReader stalledIn = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
            stalled.getOutputStream().write("stalled\nhello\n".getBytes(StandardCharsets.UTF_8));
            assertThat(stalledIn.readLine()).isEqualTo("Your name: stalled:hello"); // subscribed; it reads no more
            try (LineClient reader = new LineClient(port); LineClient flooder = new LineClient(port)) {
                SampleApplicationTest.join(reader, "reader");
                SampleApplicationTest.join(flooder, "flooder");
                assertThat(reader.readLine()).isEqualTo("flooder:joined");
                assertThat(reader.readLine()).isEqualTo("flooder:hello");
                String big = "x".repeat(MESSAGE);
                java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
                java.util.concurrent.CompletableFuture<Integer> flood = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    int n = 0;
                    try {
                        while (flooding.get()) {
                            flooder.send(++n + big);
                        }
                        flooder.send("after the flood");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return n;
                }, r -> Thread.ofPlatform().daemon(true).start(r));
                // the flooder reads what it is sent too (else it would be a stalled reader itself)
                Thread.ofPlatform().daemon(true).start(() -> {
                    try {
                        while (flooder.readLine() != null) {
                            // drained
                        }
                    } catch (java.io.IOException e) {
                        // closed at the end of the test
                    }
                });
                java.util.concurrent.CompletableFuture<List<String>> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    List<String> problems = new ArrayList<>();
                    int expected = 1;
                    try {
                        for (String line = reader.readLine(); ; line = reader.readLine()) {
                            if (line == null || line.equals("flooder:after the flood")) {
                                problems.add(line == null ? "the reader was disconnected after " + (expected - 1)
                                        : "after the flood, having read " + (expected - 1));
                                return problems;
                            }
                            if (line.equals("flooder:" + expected + big)) {
                                expected++;
                            } else if (line.equals("stalled:has gone away")) {
                                // the dropped reader's departure, broadcast wherever it lands in the flood
                            } else if (problems.size() < 5) {
                                problems.add("unexpected line " + line.substring(0, Math.min(line.length(), 40)));
                            }
                        }
                    } catch (java.io.IOException e) {
                        problems.add("the reader failed: " + e);
                        return problems;
                    }
                }, r -> Thread.ofPlatform().daemon(true).start(r));
                // the dispatcher waits for the stalled reader alone: its writer cannot write, every
                // other writer waits for its next message (its backlog is empty)
                awaitInKernel(k, kk -> kk.tasks().stream().anyMatch(t -> t.name().equals("chat-dispatcher")
                        && t.state().equals("EVENT_WAIT")) && kk.tasks().stream().filter(t -> t.name().equals("chat-out"))
                        .allMatch(t -> handlerOf(kk, t).equals(stalledHandler) ? t.state().equals("WRITE_WAIT")
                                : t.state().equals("QUEUE_GET")));
                trail.add("dropped while the dispatcher waits for the stalled reader: "
                        + k.inKernel(kk -> chat.disconnectedForFallingBehind()).get(30, TimeUnit.SECONDS));
                clock.advance(stall);
                awaitInKernel(k, kk -> chat.disconnectedForFallingBehind() == 1);
                flooding.set(false);
                int sent = flood.get(60, TimeUnit.SECONDS);
                List<String> got = read.get(60, TimeUnit.SECONDS);
                trail.add("the reader: " + got);
                trail.add("the reader read all " + sent + ": " + got.equals(List.of("after the flood, having read " + sent)));
                trail.add("dropped " + k.inKernel(kk -> chat.disconnectedForFallingBehind()).get(30, TimeUnit.SECONDS)
                        + ", subscribers " + k.inKernel(kk -> chat.subscribers()).get(30, TimeUnit.SECONDS));
                String last = null;
                for (String l = stalledIn.readLine(); l != null; l = stalledIn.readLine()) {
                    last = l;
                }
                trail.add("the stalled reader's last line starts: "
                        + last.substring(0, Math.min(last.length(), ChatServer.TOO_FAR_BEHIND.length())));
            } finally {
                stalled.close();
            }
        }
        assertThat(trail).hasSize(5);
        assertThat(trail.get(0)).isEqualTo("dropped while the dispatcher waits for the stalled reader: 0");
        assertThat(trail.get(2)).as(trail.get(1)).endsWith(": true");
        assertThat(trail.subList(3, 5)).containsExactly("dropped 1, subscribers 2",
                "the stalled reader's last line starts: " + ChatServer.TOO_FAR_BEHIND);
    }

    /** The name of the task that spawned {@code t} (a connection's handler), or "" (kernel-only). */
    private static String handlerOf(Kernel k, Task<?> t) {
        long parent = t.parentId().orElse(-1);
        return k.tasks().stream().filter(p -> p.id() == parent).map(Task::name).findFirst().orElse("");
    }

    /**
     * Returns once {@code condition}, evaluated inside the kernel, holds; fails naming every task's
     * state if it still does not after two minutes (a hang guard, not a timing assertion).
     */
    private static void awaitInKernel(Kernel k, Predicate<Kernel> condition) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!k.inKernel(condition::test).get(30, TimeUnit.SECONDS)) {
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("the awaited state never came; the tasks: " + k.inKernel(kk -> kk.tasks().stream()
                        .map(t -> t.name() + " " + t.state()).toList()).get(30, TimeUnit.SECONDS));
            }
            Thread.onSpinWait();
        }
    }

    /**
     * A client that resets its connection while the server writes to it: the writer's failed write
     * ("Connection reset" or "Broken pipe") ends the connection with one INFO line, no task crash,
     * and the others are told it has gone away. The reset is sent right before the writer's cycle
     * (a kernel activation), and the kernel's side of the connection is seen reset before the
     * writer runs, so the writer, not the reader, is the one that finds the peer gone.
     */
    @Test
    void aClientThatResetsWhileTheServerWritesToItEndsItsConnectionQuietly(CapturedOutput output) throws Exception {
        List<String> trail = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Runnable> beforeLeaversWriter = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<String> leaversHandler = new java.util.concurrent.atomic.AtomicReference<>();
        Activation resetter = new Activation() {
            Kernel kernel;

            @Override
            public void activate(Kernel k) {
                kernel = k;
            }

            @Override
            public void running(Task<?> t) {
                if (!t.name().equals("chat-out") || t.parentId().isEmpty()) {
                    return;
                }
                long parent = t.parentId().getAsLong();
                boolean leavers = kernel.tasks().stream()
                        .anyMatch(p -> p.id() == parent && p.name().equals(leaversHandler.get()));
                Runnable r = leavers ? beforeLeaversWriter.getAndSet(null) : null;
                if (r != null) {
                    r.run();
                }
            }
        };
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("chat").activations(resetter).build())) {
            Socket listener = kt.submit("listen", () -> Network.tcpServerSocket("127.0.0.1", 0)).get();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            kt.submit("chat-server", () -> {
                new ChatServer().serve(listener);
                return null;
            });
            try (java.net.Socket leaver = new java.net.Socket("127.0.0.1", port); LineClient talker = new LineClient(port)) {
                leaver.setSoTimeout(60_000); // a hang guard
                leaversHandler.set("client /127.0.0.1:" + leaver.getLocalPort());
                BufferedReader leaverIn = new BufferedReader(new InputStreamReader(leaver.getInputStream(), StandardCharsets.UTF_8));
                leaver.getOutputStream().write("leaver\nhello\n".getBytes(StandardCharsets.UTF_8));
                assertThat(leaverIn.readLine()).isEqualTo("Your name: leaver:hello"); // subscribed
                SampleApplicationTest.join(talker, "talker");
                // the leaver's writer has written the talker's lines: it waits for the next message
                assertThat(leaverIn.readLine()).isEqualTo("talker:joined");
                assertThat(leaverIn.readLine()).isEqualTo("talker:hello");
                beforeLeaversWriter.set(() -> {
                    try {
                        trail.add("established before the reset: " + established(port, leaver.getLocalPort()));
                        leaver.setSoLinger(true, 0); // close with a reset
                        leaver.close();
                        while (established(port, leaver.getLocalPort())) {
                            Thread.onSpinWait(); // the server's side sees the reset (on loopback, at once)
                        }
                        trail.add("reset before the leaver's writer runs");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                talker.send("news");
                trail.add("talker got " + talker.readLine());
                trail.add("talker got " + talker.readLine());
            }
        }
        assertThat(trail).containsExactly("established before the reset: true", "reset before the leaver's writer runs",
                "talker got talker:news", "talker got leaver:has gone away");
        assertThat(output).contains("(leaver) disconnected while the server wrote to it: ");
        assertThat(output.getAll().lines().filter(l -> l.contains("ERROR") || l.contains("SEVERE") || l.contains("Task Crash")))
                .as("no crash logged").isEmpty();
    }

    /**
     * Whether the server's side of the connection from local port {@code clientPort} to
     * {@code serverPort} is established (Linux's socket table, /proc/net/tcp and tcp6).
     */
    private static boolean established(int serverPort, int clientPort) throws java.io.IOException {
        String local = String.format(":%04X", serverPort);
        String remote = String.format(":%04X", clientPort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            java.nio.file.Path p = java.nio.file.Path.of(table);
            if (!java.nio.file.Files.exists(p)) {
                continue;
            }
            for (String line : java.nio.file.Files.readAllLines(p)) {
                String[] c = line.trim().split("\\s+");
                if (c.length > 3 && c[1].endsWith(local) && c[2].endsWith(remote) && c[3].equals("01")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aBurstOfMessagesLargerThanTheBacklogReachesClientsThatRead() throws Exception {
        int burst = 40; // 40 lines of 4 KiB: ten times the backlog, within what the socket buffers hold
        String line = "y".repeat(4096);
        ChatServer chat = new ChatServer(BACKLOG, 4 * 4200, Duration.ofSeconds(60), ServerOptions.defaults());
        List<String> got = Curio.run(() -> {
            Socket listener = Network.tcpServerSocket("127.0.0.1", 0);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            var server = Curio.spawn("chat-server", () -> chat.serve(listener));
            LineClient a = Workers.runInThread(() -> new LineClient(port));
            Workers.runInThread(() -> { SampleApplicationTest.join(a, "a"); return null; });
            Workers.runInThread(() -> { a.send((line + "\n").repeat(burst - 1) + line); return null; });
            List<String> lines = Workers.runInThread(() -> {
                List<String> l = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    l.add(a.readLine());
                }
                return l;
            });
            List<String> result = new ArrayList<>(List.of("dropped " + chat.disconnectedForFallingBehind(),
                    "subscribers " + chat.subscribers(), "lines " + lines.size()));
            lines.stream().filter(l -> !("a:" + line).equals(l)).forEach(result::add);
            server.cancel();
            a.close();
            return result;
        });
        assertThat(got).containsExactly("dropped 0", "subscribers 1", "lines " + burst);
    }

    @Test
    void clientTextIsEscapedInTheLog(CapturedOutput output) throws Exception {
        assertThat(ChatServer.printable("eve\u001b[31m\r\nforged\u2028x\u0085y\u202ez\\"))
                .isEqualTo("eve\\u001b[31m\\u000d\\u000aforged\\u2028x\\u0085y\\u202ez\\\\");
        assertThat(ChatServer.printable("y".repeat(300))).isEqualTo("y".repeat(200) + "...");
        Curio.run(() -> {
            Socket listener = Network.tcpServerSocket("127.0.0.1", 0);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            var server = Curio.spawn("chat-server", () -> new ChatServer().serve(listener));
            LineClient eve = Workers.runInThread(() -> new LineClient(port));
            Workers.runInThread(() -> { SampleApplicationTest.join(eve, "eve\u001b[2Jroot\u2028x"); return null; });
            server.cancel();
            eve.close();
            return null;
        });
        assertThat(output).contains("joined as eve\\u001b[2Jroot\\u2028x").doesNotContain("\u001b[2J");
    }

    @Test
    void aClientThatSendsNothingIsClosedAfterTheIdleTimeoutWithALine() throws Exception {
        Duration idle = Duration.ofSeconds(10);
        ManualClock clock = ManualClock.manual();
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("chat").clock(clock).build())) {
            Kernel k = kt.kernel();
            Socket listener = kt.submit("listen", () -> Network.tcpServerSocket("127.0.0.1", 0)).get();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            kt.submit("chat-server", () -> {
                new ChatServer(10, 1 << 20, Duration.ofSeconds(60), ServerOptions.defaults().idleTimeout(idle))
                        .serve(listener);
                return null;
            });
            try (LineClient quiet = new LineClient(port)) {
                SampleApplicationTest.join(quiet, "quiet");
                awaitTask(k, t -> t.name().equals("chat-in") && t.state().equals("READ_WAIT"));
                for (int look = 0; look < 3; look++) { // 15 s of silence: closed after 10 to 15 s
                    look(kt, clock, idle);
                }
                assertThat(quiet.readLine()).isEqualTo(ChatServer.IDLE);
                assertThat(quiet.readLine()).isNull();
            }
        }
    }

    private static void awaitTask(Kernel k, Predicate<Task<?>> what) throws Exception {
        while (!k.inKernel(kk -> kk.tasks().stream().anyMatch(what)).get(30, TimeUnit.SECONDS)) {
            Thread.onSpinWait();
        }
    }

    private static long cycles(Kernel k, String name) throws Exception {
        return k.inKernel(kk -> kk.tasks().stream().filter(t -> t.name().startsWith(name)).findFirst()
                .orElseThrow().cycles()).get(30, TimeUnit.SECONDS);
    }

    /** Moves the clock by one look of the server's idle watch (half the timeout) and waits for that look. */
    private static void look(KernelThread kt, ManualClock clock, Duration idle) throws Exception {
        long before = cycles(kt.kernel(), "idle watch");
        clock.advance(idle.dividedBy(2));
        awaitTask(kt.kernel(), t -> t.name().startsWith("idle watch") && t.cycles() > before
                && t.state().equals("TIME_SLEEP"));
    }
}
