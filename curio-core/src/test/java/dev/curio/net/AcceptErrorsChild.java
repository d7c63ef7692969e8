package dev.curio.net;

import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelThread;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The child JVM of {@link AcceptErrorsTest}, started with few file descriptors: a Curio server on
 * 127.0.0.1 that greets each client and holds it until it leaves. Commands on standard input,
 * answers on standard output: {@code await-errors} (answers once the server has failed to
 * accept three times, with how often it logged that), {@code stats} (the kernel's accept error count), {@code tasks} (for a failure's
 * message), {@code quit}.
 */
public final class AcceptErrorsChild {

    private static final Logger NET = Logger.getLogger(Network.class.getName()); // held: loggers are weak
    private static final Logger CURIO = Logger.getLogger("dev.curio");
    /** What Curio logged last with an exception: the console may be unable to print it, out of descriptors. */
    private static volatile String lastThrown = "nothing";

    public static void main(String[] args) throws Exception {
        CountDownLatch firstError = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger warnings = new java.util.concurrent.atomic.AtomicInteger();
        NET.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("accept failed")) {
                    warnings.incrementAndGet();
                    firstError.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        CURIO.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getThrown() != null) {
                    java.io.StringWriter w = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                    lastThrown = (r.getMessage() + ": " + w).replace('\n', '|');
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        try (KernelThread kt = KernelThread.start(Kernel.builder().name("fd-starved").build())) {
            Socket listener = kt.submit("listen", () -> Network.tcpServerSocket("127.0.0.1", 0,
                    ServerOptions.defaults().backlog(512))).get();
            kt.submit("server", () -> {
                Network.runServer(listener, (client, addr) -> {
                    SocketStream s = client.asStream();
                    s.write("hi\n".getBytes(StandardCharsets.US_ASCII));
                    s.readall(); // until the client leaves
                });
                return null;
            });
            System.out.println("port " + ((java.net.InetSocketAddress) listener.localAddress()).getPort());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String cmd; (cmd = in.readLine()) != null && !cmd.equals("quit");) {
                switch (cmd) {
                    case "await-errors" -> {
                        // The first failure is logged; then the back-off retries (5, 10, 20 ms...)
                        // fail too while the clients hold every descriptor.
                        NetworkStatistics stats = NetworkStatistics.of(kt.kernel());
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        boolean began = firstError.await(60, TimeUnit.SECONDS);
                        while (began && stats.acceptErrors() < 3 && System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        System.out.println(stats.acceptErrors() >= 3 ? "3 errors, logged " + warnings.get() + " time(s)"
                                : "only " + stats.acceptErrors() + " accept errors within 60 s");
                    }
                    case "stats" -> System.out.println("accept-errors " + NetworkStatistics.of(kt.kernel()).acceptErrors());
                    case "tasks" -> System.out.println("tasks " + kt.kernel().tasksSnapshot().stream()
                            .map(t -> t.name() + ":" + t.state()).toList() + " failure " + kt.failure() + " last logged exception " + lastThrown);
                    default -> System.out.println("unknown command " + cmd);
                }
            }
        }
    }
}
