package dev.curio.net;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.io.Socket;
import dev.curio.io.TlsSocket;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.sync.Event;
import dev.curio.task.TaskGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * One running server (Curio's {@code run_server}): the task that calls {@link #run} reaps; its
 * child "accept" task accepts connections and serves each in a task of the {@code clients} group;
 * with an idle timeout a watch task closes silent clients.
 *
 * <p>Divergence from Curio, whose accepting task is a member of the clients' group: here it is
 * not, so cancelling the clients as a group (an operator's "cancel this client with its group")
 * leaves the server accepting. Cancelling the server's own task still cancels every client.
 *
 * <p>Everything here runs in tasks of one kernel, between traps, so nothing is locked; other
 * threads see only the kernel's {@link NetworkStatistics}.
 */
final class Server {

    private static final System.Logger LOG = System.getLogger(Network.class.getName());
    /** Back-off after a failed accept: doubles from the first to the last, reset by a success (as Tomcat does). */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final Socket sock;
    private final ClientHandler handler;
    private final ServerOptions options;
    private final NetworkStatistics stats;
    private final String name;
    private final TaskGroup clients = new TaskGroup();
    /** Set when a client joins the group: wakes the reaper once the group had emptied. */
    private final Event joined = new Event();

    private Server(Socket sock, ClientHandler handler, ServerOptions options) throws IOException {
        this.sock = sock;
        this.handler = handler;
        this.options = options;
        this.stats = NetworkStatistics.of(Kernel.current());
        this.name = "server " + sock.localAddress();
    }

    /** Serves {@code sock} with {@code handler} until cancelled; call from a task. Closes {@code sock}. */
    static void run(Socket sock, ClientHandler handler, ServerOptions options) throws IOException {
        try (sock) {
            if (Kernel.current() == null) {
                throw new dev.curio.AsyncOnlyError("runServer must be called from a Curio task");
            }
            new Server(sock, handler, options).serve();
        }
    }

    /** {@link #run} for TLS: each client is wrapped as the server side, after a bounded handshake if asked. */
    static void runTls(Socket sock, TlsClientHandler handler, SSLContext ssl, List<String> alpn,
            ServerOptions options) throws IOException {
        Duration handshake = options.handshakeTimeout();
        NetworkStatistics stats = Kernel.current() == null ? null : NetworkStatistics.of(Kernel.current());
        run(sock, (client, addr) -> {
            try (TlsSocket tls = TlsSocket.server(client, ssl, alpn)) {
                if (handshake != null) {
                    try {
                        Curio.timeoutAfter(handshake, tls::doHandshake);
                    } catch (TaskTimeout e) {
                        stats.handshakeTimeout();
                        log(System.Logger.Level.DEBUG, () -> "TLS client " + addr + " closed: no handshake within "
                                + handshake);
                        return;
                    }
                }
                handler.handle(tls, addr);
            }
        }, options);
    }

    private void serve() throws IOException {
        try (clients) {
            Task<Void> acceptor = Curio.spawn("accept " + sock.localAddress(), this::acceptLoop);
            Task<Void> watch = options.idleTimeout() == null ? null
                    : Curio.spawn("idle watch of " + name, this::watchIdle);
            try {
                reap(acceptor);
            } finally {
                acceptor.cancel();
                if (watch != null) {
                    watch.cancel();
                }
            }
        }
    }

    // ---- accepting ----

    /**
     * Accepts until the listener is closed or the task cancelled. A failed accept that is not the
     * listener's end (out of descriptors, a connection aborted before it was accepted) is counted,
     * logged once per burst, and retried after a back-off: the listener stays readable while the
     * process is out of descriptors, so retrying at once would spin.
     */
    private void acceptLoop() throws IOException {
        try {
            accept();
        } finally {
            joined.set(); // the reaper looks again
        }
    }

    private void accept() throws IOException {
        long burst = 0;
        Duration backoff = Duration.ZERO;
        while (true) {
            Socket client;
            SocketAddress addr;
            try {
                client = sock.accept();
                try {
                    addr = client.remoteAddress();
                } catch (IOException | RuntimeException e) {
                    client.close(); // reset before we looked at it
                    throw e;
                }
            } catch (IOException | UncheckedIOException e) {
                if (sock.isClosed() || e instanceof ClosedChannelException
                        || e.getCause() instanceof ClosedChannelException) {
                    throw e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
                }
                stats.acceptError();
                burst++;
                backoff = backoff.isZero() ? FIRST_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
                if (burst == 1) {
                    Exception failed = e;
                    log(System.Logger.Level.WARNING, () -> name + ": accept failed (" + failed + "); retrying with a"
                            + " back-off up to " + MAX_BACKOFF.toMillis() + " ms, further failures of this burst"
                            + " are counted (NetworkStatistics.acceptErrors), not logged");
                }
                Curio.sleep(backoff);
                continue;
            }
            if (burst > 0) {
                long n = burst;
                log(System.Logger.Level.INFO, () -> name + ": accepting again after " + n + " failed accepts");
                burst = 0;
                backoff = Duration.ZERO;
            }
            clients.spawn("client " + addr, () -> serveClient(client, addr));
            joined.set();
        }
    }

    /**
     * Logs without letting the logger fail the server: out of file descriptors, a logger may be
     * unable to open what it needs to format the line (the JDK's time-zone data, a log file).
     */
    private static void log(System.Logger.Level level, java.util.function.Supplier<String> msg) {
        try {
            LOG.log(level, msg);
        } catch (Throwable ignored) {
            // the line is lost; the server carries on
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void serveClient(Socket client, SocketAddress addr) throws Exception {
        try (client) {
            handler.handle(client, addr);
        } catch (Exception e) {
            String gone = PeerGone.reason(e);
            if (gone == null) {
                throw e; // a real failure: the kernel logs the crash
            }
            stats.peerReset();
            log(System.Logger.Level.DEBUG, () -> "client " + addr + " of " + name + " ended by the peer: " + gone);
        }
    }

    /**
     * Takes finished clients out of the group (their failures were logged by the kernel) until the
     * accepting task has ended (the listener closed) and no client is left.
     */
    private void reap(Task<Void> acceptor) {
        while (true) {
            joined.clear();
            if (clients.nextDone() == null) {
                if (acceptor.terminated()) {
                    return;
                }
                joined.await(); // the group is empty until the next client joins or accepting ends
            }
        }
    }

    // ---- idle clients ----

    /**
     * Twice per idle timeout, looks at every task of every client (the handler's task and the tasks
     * it spawned, by parent): a task seen waiting to read at two looks one idle timeout apart
     * without having run in between has received nothing for at least that long.
     */
    private void watchIdle() {
        Duration timeout = options.idleTimeout();
        Duration tick = timeout.dividedBy(2);
        Kernel kernel = Kernel.current();
        Map<Long, long[]> reading = new HashMap<>(); // task id -> {cycles, look when first seen so}
        long look = 0;
        while (true) {
            Curio.sleep(tick.isZero() ? timeout : tick);
            look++;
            Set<Task<?>> members = new HashSet<>(clients.tasks());
            Map<Long, Task<?>> clientOf = new HashMap<>();
            Map<Long, long[]> now = new HashMap<>();
            Set<Task<?>> idle = new java.util.LinkedHashSet<>();
            for (Task<?> t : kernel.tasks()) { // by id: a parent comes before its children
                Task<?> owner = members.contains(t) ? t
                        : t.parentId().isPresent() ? clientOf.get(t.parentId().getAsLong()) : null;
                if (owner == null || owner.terminated()) {
                    continue;
                }
                clientOf.put(t.id(), owner);
                if (!"READ_WAIT".equals(t.state())) {
                    continue;
                }
                long[] before = reading.get(t.id());
                long[] seen = before != null && before[0] == t.cycles() ? before : new long[] {t.cycles(), look};
                now.put(t.id(), seen);
                if (look - seen[1] >= 2) {
                    idle.add(owner);
                }
            }
            reading = now;
            for (Task<?> owner : idle) {
                stats.idleTimeout();
                log(System.Logger.Level.DEBUG, () -> owner.name() + " of " + name + " closed: sent nothing for "
                        + timeout);
                owner.cancel(new ClientIdleTimeout(owner.name() + " sent nothing for " + timeout
                        + "; closed by the server's idle timeout"), false);
            }
        }
    }
}
