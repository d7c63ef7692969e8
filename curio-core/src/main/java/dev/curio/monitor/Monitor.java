package dev.curio.monitor;

import dev.curio.kernel.Kernel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

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
 * }</pre>
 *
 * <p>Threads: one platform daemon thread of its own accepts connections and serves them one at a
 * time (a second client waits until the first leaves, as in Curio). That thread never touches
 * kernel state: it reads the racy task-table snapshot and cancels through the kernel's inbox (see
 * {@link MonitorCommands}), so the monitor answers even while a task holds the kernel.
 * {@link #close()} may be called from any thread; the monitor also closes when the kernel shuts
 * down.
 */
public final class Monitor implements AutoCloseable {

    /** Curio's monitor port. */
    public static final int DEFAULT_PORT = 48802;

    private static final System.Logger LOG = System.getLogger(Monitor.class.getName());

    private final Kernel kernel;
    private final ServerSocket server;
    private final MonitorCommands commands;
    private final Thread thread;
    private final AtomicReference<Socket> client = new AtomicReference<>();
    private volatile boolean closed;

    private Monitor(Kernel kernel, ServerSocket server) {
        this.kernel = kernel;
        this.server = server;
        this.commands = new MonitorCommands(kernel);
        this.thread = Thread.ofPlatform().daemon(true).name("curio-" + kernel.name() + "-monitor").unstarted(this::serve);
    }

    /** Starts a monitor of {@code kernel} on 127.0.0.1, port {@value #DEFAULT_PORT}. */
    public static Monitor start(Kernel kernel) {
        return start(kernel, DEFAULT_PORT);
    }

    /**
     * Starts a monitor of {@code kernel} on 127.0.0.1:{@code port} ({@code 0} picks a free port, see
     * {@link #port()}). The kernel may be running or not yet started.
     *
     * @throws IllegalArgumentException if {@code kernel} is null or {@code port} is out of 0..65535
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static Monitor start(Kernel kernel, int port) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback(), port), 1);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("cannot start the Curio monitor of kernel '" + kernel.name()
                    + "' on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        Monitor m = new Monitor(kernel, s);
        kernel.attach(Monitor.class, m); // findable: Monitor.of(kernel)
        kernel.onShutdown(m::close);
        m.thread.start();
        LOG.log(System.Logger.Level.INFO, "Curio monitor of kernel ''{0}'' listening on {1}", kernel.name(), m.address());
        return m;
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

    /** Whether the listening socket is still open. */
    boolean listening() {
        return !server.isClosed();
    }

    private void serve() {
        while (!closed) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "Curio monitor: accept failed; the monitor stops", e);
                }
                return;
            }
            client.set(c);
            if (closed) { // close() ran between accept and set: it could not see this client
                closeQuietly(c);
                return;
            }
            try (c) {
                converse(c);
            } catch (IOException e) {
                // the client went away, or close() shut the connection: wait for the next one
            } finally {
                client.set(null);
            }
        }
    }

    private void converse(Socket c) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(c.getOutputStream(), StandardCharsets.UTF_8));
        commands.greet(out);
        while (true) {
            out.print(MonitorCommands.PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null || !commands.execute(line, out)) {
                out.flush();
                return;
            }
        }
    }

    /** Stops listening and drops the connected client, if any. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        closeQuietly(client.get());
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
