package dev.curio.sample;

import dev.curio.io.Socket;
import dev.curio.net.Network;
import dev.curio.net.ServerOptions;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.spring.boot.diagnostics.CurioPortInUseException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Starts the chat and echo servers as tasks of the kernel bean once the application is up, both
 * closing a client that sends nothing for {@code sample.idle-timeout} (5 minutes unless set).
 */
@Component
class Servers implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(Servers.class);

    private final CurioTasks curio;
    private final String host;
    private final int chatPort;
    private final int echoPort;
    private final ServerOptions options;
    private volatile int boundChat;
    private volatile int boundEcho;

    Servers(CurioTasks curio, @Value("${sample.host:127.0.0.1}") String host,
            @Value("${sample.chat.port:25000}") int chatPort, @Value("${sample.echo.port:25001}") int echoPort,
            @Value("${sample.idle-timeout:5m}") Duration idleTimeout) {
        this.curio = curio;
        this.options = ServerOptions.defaults().idleTimeout(idleTimeout);
        this.host = host;
        this.chatPort = chatPort;
        this.echoPort = echoPort;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        int chat = bind("chat", chatPort, listener -> new ChatServer(options).serve(listener));
        int echo = bind("echo", echoPort, listener -> EchoServer.serve(listener, options));
        boundChat = chat;
        boundEcho = echo;
        LOG.info("chat server listening on {}:{} (try: nc {} {})", host, chat, host, chat);
        LOG.info("echo server listening on {}:{}", host, echo);
    }

    /** The chat server's port once started (useful with sample.chat.port=0). */
    int chatPort() {
        return boundChat;
    }

    /** The options both servers run with (the idle timeout from sample.idle-timeout). */
    ServerOptions options() {
        return options;
    }

    /** The echo server's port once started. */
    int echoPort() {
        return boundEcho;
    }

    interface Server {
        void serve(Socket listener) throws Exception;
    }

    private int bind(String what, int port, Server server) throws Exception {
        Bound bound = curio.submit("bind-" + what, () -> start(what + "-server", port, server)).get();
        if (bound.refused() != null) {
            // The starter's failure analyzer turns this into Boot's "APPLICATION FAILED TO START"
            // report naming the port and the property, instead of a stack trace.
            throw new CurioPortInUseException("the sample's " + what + " server", host, port,
                    "sample." + what + ".port", bound.refused());
        }
        return bound.port();
    }

    /** The port a server got, or why it could not listen (an answer, not a task crash to log). */
    private record Bound(int port, java.net.BindException refused) {}

    /** Binds in the kernel (so a bad port fails start-up), then serves in a task of its own. */
    private Bound start(String name, int port, Server server) throws Exception {
        Socket listener;
        try {
            listener = Network.tcpServerSocket(host, port);
        } catch (java.net.BindException e) {
            return new Bound(port, e);
        }
        dev.curio.Curio.spawn(name, () -> server.serve(listener));
        return new Bound(((InetSocketAddress) listener.localAddress()).getPort(), null);
    }
}
