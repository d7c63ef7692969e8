package dev.curio.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.Trail;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import dev.curio.kernel.ManualClock;
import dev.curio.kernel.Task;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console monitor driven by a client over a real loopback socket. The scenario is the early
 * README's "hello.py" session (a parent joining a kid that sleeps 1000 s; {@code ps},
 * {@code where}, {@code cancel}); the commands and outputs follow curio/monitor.py.
 *
 * <p>The kernel runs on a {@link KernelThread} with a manual clock that never moves, so sleeps and
 * timeouts stay put and the remaining timeout printed is exact. Tests wait for the kernel to have
 * settled (a query through its inbox is answered only after the running task suspended).
 */
class MonitorTest {

    private final Kernel kernel = Kernel.builder().name("mon").clock(ManualClock.manual()).build();
    private final KernelThread kt = KernelThread.start(kernel);
    private final Monitor monitor = Monitor.start(kernel, MonitorOptions.defaults().port(0).allowCancel(true).maxClients(2));
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Client c : clients) {
            c.socket.close();
        }
        monitor.close();
        kt.stop(Duration.ofSeconds(30));
    }

    /** A telnet-like client: sends lines, reads the monitor's output up to its next prompt. */
    static final class Client {
        final Socket socket;
        final Reader in;
        final PrintWriter out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            in = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8);
            out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        /** The output up to (without) the next prompt, or to the end of the connection. */
        String read() throws IOException {
            StringBuilder sb = new StringBuilder();
            int ch;
            while ((ch = in.read()) >= 0) {
                sb.append((char) ch);
                if (sb.toString().endsWith(MonitorCommands.PROMPT)) {
                    return sb.substring(0, sb.length() - MonitorCommands.PROMPT.length());
                }
            }
            return sb.toString();
        }

        String command(String line) throws IOException {
            out.println(line);
            return read();
        }

        List<String> lines(String line) throws IOException {
            return List.of(command(line).split("\n"));
        }
    }

    private Client connect() throws IOException {
        Client c = new Client(monitor.port());
        clients.add(c);
        return c;
    }

    /**
     * Returns once no task is ready: every task has run and suspended. A query through the inbox
     * is answered between batches, so tasks spawned in the last batch may still be ready; ask
     * again until the kernel, inside, sees none.
     */
    private void settle() {
        while (kernel.inKernel(Kernel::readyCount).join() > 0) {
            Thread.onSpinWait();
        }
    }

    /** The README's program: parent spawns kid (sleeping 1000 s inside a 30 s timeout) and joins it. */
    private record Family(long parent, long kid, CompletableFuture<Object> done) {}

    private Family family(Trail trail) {
        CompletableFuture<long[]> ids = new CompletableFuture<>();
        CompletableFuture<Object> done = kernel.submit("parent", () -> {
            Task<?> kid = Curio.spawn("kid", () -> {
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(30), () -> Curio.sleep(1000));
                } catch (CancelledError e) {
                    trail.add("kid: " + e.getClass().getSimpleName() + " " + e.getMessage());
                    throw e;
                }
            });
            ids.complete(new long[] {Curio.currentTask().id(), kid.id()});
            kid.await();
            trail.add("parent: kid ended");
            return null;
        });
        long[] pk = ids.join();
        settle();
        return new Family(pk[0], pk[1], done);
    }

    private String row(long id, String state, long cycles, String timeout, String name) {
        return String.format("%-6d %-12s %-10d %-7s %-50s", id, state, cycles, timeout, name);
    }

    @Test
    void greetingCountsTasksAndPsShowsTheTaskTable() throws IOException {
        // early README: "Curio Monitor: 4 tasks running", then ps with the kid's timeout counting down
        Family f = family(new Trail());
        long mainId = kernel.tasksSnapshot().get(0).id();
        Client c = connect();
        assertThat(c.read()).isEqualTo("\nCurio Monitor: 3 tasks running\nType help for commands\n");
        assertThat(c.lines("ps")).containsExactly(
                "Task   State        Cycles     Timeout Task                                              ",
                "------ ------------ ---------- ------- --------------------------------------------------",
                row(mainId, "KERNEL_SERVE", 1, "None", "kernel-main"),
                row(f.parent(), "TASK_JOIN", 1, "None", "parent"),
                row(f.kid(), "TIME_SLEEP", 1, "30.0000", "kid"));
    }

    @Test
    void whereShowsTheStackOfASuspendedTaskDownToItsOwnCode() throws IOException {
        Family f = family(new Trail());
        Client c = connect();
        c.read();
        String where = c.command("where " + f.kid());
        assertThat(where).startsWith("Stack for Task(id=" + f.kid() + ", name='kid', state='TIME_SLEEP') (most recent call first):\n");
        assertThat(where).contains("at dev.curio.Curio.sleep").contains("at dev.curio.monitor.MonitorTest.lambda$family$");
        assertThat(c.command("where 999999999")).isEqualTo("No task 999999999\n");
    }

    @Test
    void cancelGoesThroughTheKernelAndTheTaskSeesTheMonitorsReason() throws Exception {
        // README: "cancel 4" -> "Cancelling task 4", the kid is cancelled and the parent carries on
        Trail trail = new Trail();
        Family f = family(trail);
        Client c = connect();
        c.read();
        assertThat(c.command("cancel " + f.kid())).isEqualTo("Cancelling task " + f.kid() + "\n");
        f.done().join();
        assertThat(trail.events()).containsExactly(
                "kid: TaskCancelled " + MonitorCommands.CANCEL_REASON,
                "parent: kid ended");
        settle();
        assertThat(c.command("cancel " + f.kid())).isEqualTo("No task " + f.kid() + "\n");
        assertThat(c.lines("ps")).hasSize(3); // headers and the kernel's main task
    }

    @Test
    void parentsListsTheTaskThenItsAncestors() throws IOException {
        Family f = family(new Trail());
        Client c = connect();
        c.read();
        assertThat(c.lines("parents " + f.kid())).containsExactly(
                String.format("%-6d %12s %s", f.kid(), "TIME_SLEEP", "kid"),
                String.format("%-6d %12s %s", f.parent(), "TASK_JOIN", "parent"));
        assertThat(c.command("parents 999999999")).isEqualTo("No task 999999999\n");
    }

    @Test
    void helpUnknownAndBadCommandsThenExitClosesTheConnection() throws IOException {
        Client c = connect();
        c.read();
        assertThat(c.lines("help")).containsExactly(
                "Commands:",
                "         ps               : Show task table",
                "         where taskid     : Show stack frames for a task",
                "         cancel taskid    : Cancel an indicated task (optionally: cancel taskid reason)",
                "         parents taskid   : List task parents",
                "         exit             : Leave the monitor");
        assertThat(c.command("signal SIGHUP")).isEqualTo("Unknown command. Type help.\n");
        assertThat(c.command("where")).isEqualTo("Bad command. where takes one argument, a task id\n");
        assertThat(c.command("cancel kid")).isEqualTo("Bad command. task id must be a number, was 'kid'\n");
        assertThat(c.command("")).isEmpty();
        assertThat(c.command("exit")).isEqualTo("Leaving monitor\n"); // then end of stream, no prompt
        assertThat(c.in.read()).isEqualTo(-1);
    }

    @Test
    void severalClientsAtOnceOnePastTheLimitIsToldAndTheNextIsServedWhenOneLeaves() throws IOException {
        // Curio serves one client at a time; here one silent client no longer locks the others out
        Client first = connect();
        first.read();
        Client second = connect();
        assertThat(second.read()).startsWith("\nCurio Monitor: ");
        assertThat(second.lines("ps")).hasSize(3); // served while the first says nothing
        Client third = connect(); // past maxClients(2)
        assertThat(third.read()).isEqualTo("Curio monitor: 2 clients already connected; try again later\n");
        assertThat(first.command("quit")).isEqualTo("Leaving monitor\n");
        assertThat(first.in.read()).isEqualTo(-1); // its slot is free before its connection ends
        Client fourth = connect();
        assertThat(fourth.read()).startsWith("\nCurio Monitor: ");
        assertThat(fourth.command("exit")).isEqualTo("Leaving monitor\n");
        assertThat(second.command("exit")).isEqualTo("Leaving monitor\n");
    }

    @Test
    void answersWhileATaskHoldsTheKernel() throws Exception {
        // curio/monitor.py's reason for a separate thread: the monitor works while the kernel is hosed
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> hog = new CompletableFuture<>();
        CompletableFuture<Object> done = kernel.submit("hog", () -> {
            hog.complete(Curio.currentTask().id());
            holding.countDown();
            while (release.getCount() > 0) {
                Thread.onSpinWait(); // a CPU-bound loop: the kernel is held, nothing else of it runs
            }
            return null;
        });
        holding.await();
        Client c = connect();
        c.read();
        assertThat(c.lines("ps")).contains(row(hog.join(), "RUNNING", 1, "None", "hog"));
        assertThat(c.command("where " + hog.join())).contains("at dev.curio.monitor.MonitorTest.lambda$answersWhileATaskHoldsTheKernel$");
        release.countDown();
        done.join();
    }

    @Test
    void psShowsATaskOutOfTheKernelWhatItBlocksInAndItsPendingTimeout() throws Exception {
        // an importer blocks in LinkedBlockingQueue.take() under a 5 s timeout: it steps out of the
        // kernel (the owned carrier, release); the timeout falls due while it is out and is pending
        ManualClock clock = ManualClock.manual();
        Kernel k = Kernel.builder().name("out").clock(clock).carrier(CarrierKind.OWNED)
                .blockingCalls(BlockingCalls.RELEASE).build();
        KernelThread thread = KernelThread.start(k);
        Monitor m = Monitor.start(k, MonitorOptions.defaults().port(0));
        Trail trail = new Trail();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        try {
            CompletableFuture<Task<?>> importer = new CompletableFuture<>();
            CompletableFuture<Object> done = k.submit("importer", () -> {
                importer.complete(Curio.currentTask());
                try {
                    Curio.timeoutAfter(Duration.ofSeconds(5), () -> {
                        trail.add("importer took " + queue.take());
                        Curio.sleep(0);
                    });
                } catch (TaskTimeout e) {
                    trail.add("importer got TaskTimeout at its next trap");
                }
                return null;
            });
            Task<?> t = importer.join();
            while (!t.steppedOut()) {
                Thread.onSpinWait();
            }
            Client c = new Client(m.port());
            clients.add(c);
            c.read();
            List<String> ps = c.lines("ps");
            int at = ps.indexOf(row(t.id(), "BLOCKED", 1, "5.00000", "importer"));
            assertThat(at).as(String.join("\n", ps)).isPositive();
            assertThat(ps.get(at + 1)).matches(" {7}out of the kernel \\d+\\.\\d{3} s, blocked in LinkedBlockingQueue\\.take"
                    + " \\(called from dev\\.curio\\.monitor\\.MonitorTest\\.lambda\\$psShowsATaskOutOfTheKernel.*\\)");
            assertThat(ps).as("only the task out has a line under its row").hasSize(5);

            clock.advance(Duration.ofSeconds(6)); // the timeout falls due while the importer is out
            while (!k.inKernel(x -> t.cancelPending() != null).join()) {
                Thread.onSpinWait();
            }
            ps = c.lines("ps");
            at = ps.indexOf(ps.stream().filter(l -> l.endsWith("importer" + " ".repeat(42))).findFirst().orElseThrow());
            assertThat(ps.get(at)).startsWith(String.format("%-6d %-12s", t.id(), "BLOCKED"));
            assertThat(ps.get(at + 1)).startsWith("       out of the kernel ")
                    .endsWith("; TaskTimeout pending until its next trap");

            queue.put("x");
            done.join();
            assertThat(trail.events()).containsExactly("importer took x", "importer got TaskTimeout at its next trap");
            k.inKernel(x -> null).join();
            assertThat(c.lines("ps")).as("headers and the kernel's main task").hasSize(3);
        } finally {
            m.close();
            thread.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void listensOnLoopbackOnlyAndClosesWithItsKernel() throws Exception {
        assertThat(monitor.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(monitor.toString()).contains("kernel=mon");
        kt.stop(Duration.ofSeconds(30));
        assertThat(kt.isFinished()).isTrue();
        assertThat(monitor.isClosed()).isTrue();
        assertThat(monitor.listening()).isFalse(); // (a refused connect would race with other processes' ports)
    }

    @Test
    void closeDropsTheConnectedClient() throws IOException {
        Client c = connect();
        c.read();
        assertThat(monitor.listening()).isTrue();
        monitor.close();
        assertThat(monitor.listening()).isFalse();
        monitor.close();
        assertThat(c.in.read()).isEqualTo(-1);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Monitor.start(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel must not be null");
        assertThatThrownBy(() -> Monitor.start(kernel, 70000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be in 0..65535, was 70000");
        assertThatThrownBy(() -> Monitor.start(kernel, (MonitorOptions) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("options must not be null");
        assertThatThrownBy(() -> MonitorOptions.defaults().maxClients(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxClients must be >= 1, was 0");
        assertThatThrownBy(() -> MonitorOptions.defaults().maxLineBytes(8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLineBytes must be in 16..65536, was 8");
        assertThatThrownBy(() -> MonitorOptions.defaults().idleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("idleTimeout must be positive");
        assertThatThrownBy(() -> Monitor.start(kernel, monitor.port()))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot start the Curio monitor of kernel 'mon' on 127.0.0.1:" + monitor.port());
    }

    @Test
    void remainingTimeoutIsCutLikeCurios() {
        assertThat(MonitorCommands.remaining(java.util.OptionalLong.empty(), 0)).isEqualTo("None");
        assertThat(MonitorCommands.remaining(java.util.OptionalLong.of(926_016_500_000L), 0)).isEqualTo("926.016");
        assertThat(MonitorCommands.remaining(java.util.OptionalLong.of(1_500_000L), 0)).isEqualTo("0.00150");
    }
}
