package dev.curio.monitor;

import dev.curio.kernel.Kernel;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Curio's debugging monitor for a kernel run outside Spring Boot: a text console on a TCP port of
 * the loopback interface (127.0.0.1 only, never another address), for {@code nc 127.0.0.1 48802}
 * or telnet. Commands: {@code ps}, {@code where N}, {@code cancel N}, {@code parents N},
 * {@code help}, {@code exit}.
 *
 * <pre>{@code
 * Kernel kernel = Kernel.builder().name("app").build();
 * KernelThread kt = KernelThread.start(kernel);
 * Monitor monitor = Monitor.start(kernel);          // or Monitor.start(kernel, 0) for any free port
 * Monitor.start(kernel, MonitorOptions.defaults().allowCancel(true)); // cancel is refused unless allowed
 * }</pre>
 *
 * <p>Hostile or broken clients cannot take it down ({@link MonitorOptions}): up to
 * {@code maxClients} are served at once, each on its own thread (one more is told so and closed);
 * a command line holds at most {@code maxLineBytes} (a longer one is answered with an error and
 * skipped); a client silent for {@code idleTimeout}, or not reading an answer for that long, is
 * closed; whatever a client sends or does (garbage, invalid UTF-8, resets), only its own thread
 * sees it, and the accepting thread goes on.
 *
 * <p>Threads: one platform daemon thread accepts connections (and closes stalled writers); each
 * client has a platform daemon thread of its own. None touches kernel state: they read the racy
 * task-table snapshot and cancel through the kernel's inbox (see {@link MonitorCommands}), so the
 * monitor answers even while a task holds the kernel. {@link #close()} may be called from any
 * thread; the monitor also closes when the kernel shuts down.
 */
public final class Monitor implements AutoCloseable {

    /** Curio's monitor port. */
    public static final int DEFAULT_PORT = 48802;

    /** The logger of the audit lines, one per {@code cancel} (the actuator endpoint's audit logger). */
    public static final String AUDIT_LOGGER = "dev.curio.actuate.audit";

    private static final System.Logger LOG = System.getLogger(Monitor.class.getName());

    private final Kernel kernel;
    private final MonitorOptions options;
    private final ServerSocket server;
    private final MonitorCommands commands;
    private final Thread thread;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostLineBytesHeld = new AtomicInteger();
    /** Connections taken off the listening socket, admitted or turned away (written by the accept thread). */
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean closed;

    private Monitor(Kernel kernel, MonitorOptions options, ServerSocket server) {
        this.kernel = kernel;
        this.options = options;
        this.server = server;
        this.commands = new MonitorCommands(kernel, options.cancelAllowed());
        this.thread = Thread.ofPlatform().daemon(true).name("curio-" + kernel.name() + "-monitor").unstarted(this::serve);
    }

    /** Starts a monitor of {@code kernel} on 127.0.0.1, port {@value #DEFAULT_PORT}, cancel refused. */
    public static Monitor start(Kernel kernel) {
        return start(kernel, MonitorOptions.defaults());
    }

    /**
     * Starts a monitor of {@code kernel} on 127.0.0.1:{@code port} ({@code 0} picks a free port, see
     * {@link #port()}), with the other {@link MonitorOptions#defaults()} (cancel refused).
     *
     * @throws IllegalArgumentException if {@code kernel} is null or {@code port} is out of 0..65535
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static Monitor start(Kernel kernel, int port) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        return start(kernel, MonitorOptions.defaults().port(port));
    }

    /**
     * Starts a monitor of {@code kernel} on 127.0.0.1 as {@code options} say. The kernel may be
     * running or not yet started.
     *
     * @throws IllegalArgumentException if {@code kernel} or {@code options} is null
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static Monitor start(Kernel kernel, MonitorOptions options) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback(), options.port()), options.maxClients());
            s.setSoTimeout(sweepMillis(options));
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("cannot start the Curio monitor of kernel '" + kernel.name()
                    + "' on 127.0.0.1:" + options.port() + ": " + e.getMessage(), e);
        }
        Monitor m = new Monitor(kernel, options, s);
        kernel.attach(Monitor.class, m); // findable: Monitor.of(kernel)
        kernel.onShutdown(m::close);
        m.thread.start();
        LOG.log(System.Logger.Level.INFO, "Curio monitor of kernel ''{0}'' listening on {1} ({2})", kernel.name(),
                m.address(), options.cancelAllowed() ? "cancel allowed" : "read-only");
        return m;
    }

    /** How often the accepting thread looks for stalled writers: the idle timeout, at most a second. */
    private static int sweepMillis(MonitorOptions options) {
        return (int) Math.max(1, Math.min(1000, options.idleTimeout().toMillis()));
    }

    /** IPv4 loopback, named by address so that no resolver or IPv6 preference can widen it. */
    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The monitor started for {@code kernel}, or null. */
    public static Monitor of(Kernel kernel) {
        return kernel.attachmentIfPresent(Monitor.class);
    }

    public Kernel kernel() {
        return kernel;
    }

    public MonitorOptions options() {
        return options;
    }

    /** The port the monitor listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** The address the monitor listens on (always 127.0.0.1). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Clients connected and served now. */
    public int clients() {
        return sessions.size();
    }

    /** Whether the listening socket is still open. */
    boolean listening() {
        return !server.isClosed();
    }

    /** Connections accepted so far, admitted or turned away: lets tests wait for the monitor to see them. */
    int connections() {
        return connections.get();
    }

    /** The most bytes of a command line any client's reader has held at once (the memory bound). */
    int mostLineBytesHeld() {
        return mostLineBytesHeld.get();
    }

    private void serve() {
        boolean failing = false;
        while (!closed) {
            Socket c;
            try {
                c = server.accept();
                failing = false;
            } catch (SocketTimeoutException e) {
                closeStalled();
                continue;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failing) { // once per burst (EMFILE, ...); accepting goes on after a pause
                    LOG.log(System.Logger.Level.WARNING, "Curio monitor: accept failed; retrying", e);
                    failing = true;
                }
                pause();
                continue;
            }
            closeStalled();
            connections.incrementAndGet();
            try {
                admit(c);
            } catch (RuntimeException | Error e) { // e.g. no thread could be started: drop this client only
                LOG.log(System.Logger.Level.WARNING, "Curio monitor: could not serve a client", e);
                closeQuietly(c);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void admit(Socket c) {
        if (sessions.size() >= options.maxClients()) {
            try (c) {
                c.getOutputStream().write(("Curio monitor: " + options.maxClients()
                        + " clients already connected; try again later\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // it left already
            }
            return;
        }
        Session s = new Session(c);
        sessions.add(s);
        if (closed) { // close() ran before this client was in the set: it could not see it
            sessions.remove(s);
            closeQuietly(c);
            return;
        }
        Thread.ofPlatform().daemon(true).name("curio-" + kernel.name() + "-monitor-client-" + accepted.incrementAndGet())
                .start(s::run);
    }

    /** Closes clients that have left an answer unwritten (not reading it) for longer than the idle timeout. */
    private void closeStalled() {
        long now = System.nanoTime();
        long limit = options.idleTimeout().toNanos();
        for (Session s : sessions) {
            long since = s.out.writingSince;
            if (since != 0 && now - since > limit) {
                closeQuietly(s.socket);
            }
        }
    }

    /** One connected client, served by its own thread. */
    private final class Session {
        final Socket socket;
        final TrackedOutput out;

        Session(Socket socket) {
            this.socket = socket;
            this.out = new TrackedOutput(socket);
        }

        void run() {
            InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
            String who = peer.getAddress().getHostAddress() + ":" + peer.getPort(); // the audit line's "by"
            BoundedLineReader in = null;
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try {
                socket.setSoTimeout((int) options.idleTimeout().toMillis());
                in = new BoundedLineReader(socket.getInputStream(), options.maxLineBytes());
                converse(in, w, who);
            } catch (SocketTimeoutException e) {
                w.println();
                w.println("Idle for more than " + options.idleTimeout() + ": closing the connection");
                w.flush();
            } catch (IOException e) {
                // the client went away or reset, or close() shut the connection
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "Curio monitor: client " + who + " failed", e);
            } finally {
                if (in != null) {
                    mostLineBytesHeld.accumulateAndGet(in.mostHeld(), Math::max);
                }
                sessions.remove(this); // before the close: a client that sees the end may reconnect at once
                closeQuietly(socket);
            }
        }

        private void converse(BoundedLineReader in, PrintWriter out, String who) throws IOException {
            commands.greet(out);
            while (true) {
                out.print(MonitorCommands.PROMPT);
                out.flush();
                if (out.checkError()) {
                    return; // the client is gone (PrintWriter swallows the IOException)
                }
                String line = in.readLine();
                mostLineBytesHeld.accumulateAndGet(in.mostHeld(), Math::max);
                if (line == BoundedLineReader.TOO_LONG) {
                    out.println("Line too long: the limit is " + options.maxLineBytes() + " bytes; it is discarded");
                } else if (line == null || !commands.execute(line, out, who)) {
                    out.flush();
                    return;
                }
            }
        }
    }

    /** The client's output, noting when a write started and has not finished (a client not reading). */
    private static final class TrackedOutput extends FilterOutputStream {
        volatile long writingSince; // System.nanoTime() when the write in progress began; 0 when none

        TrackedOutput(Socket s) {
            super(outputOf(s));
        }

        private static OutputStream outputOf(Socket s) {
            try {
                return s.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writingSince = Math.max(1, System.nanoTime());
            try {
                out.write(b, off, len);
            } finally {
                writingSince = 0;
            }
        }
    }

    /** Stops listening and drops every connected client. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (Session s : sessions) {
            closeQuietly(s.socket);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing only
            }
        }
    }

    @Override
    public String toString() {
        return "Monitor(kernel=" + kernel.name() + ", address=" + address() + (closed ? ", closed" : "") + ")";
    }
}
