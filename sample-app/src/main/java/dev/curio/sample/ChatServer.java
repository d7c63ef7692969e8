package dev.curio.sample;

import dev.curio.CancelledError;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.net.Network;
import dev.curio.queue.TaskQueue;
import dev.curio.task.Local;
import dev.curio.task.TaskGroup;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's chat server: each client gets an incoming task (reads lines, publishes them) and
 * an outgoing task (writes what the dispatcher sends it), supervised by a task group (wait = ANY).
 * Cancelling the server cancels every client, and each client gets a going-away line. The
 * client's address is task-local, so every log line of its tasks names it.
 *
 * <p>Kernel-only: all state is touched by tasks of the one kernel that runs the server.
 */
public final class ChatServer {

    /** What a client sees when the server is cancelled. */
    public static final String GOING_AWAY = "SERVER IS GOING AWAY!";

    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);

    private record Message(String name, String text) {}

    private final TaskQueue<Message> messages = new TaskQueue<>();
    private final Set<TaskQueue<Message>> subscribers = new LinkedHashSet<>();
    private final Local<SocketAddress> clientAddress = new Local<>();

    /** Runs the server on {@code host:port} until cancelled. */
    public void serve(String host, int port) throws Exception {
        serve(Network.tcpServerSocket(host, port));
    }

    /** Runs the server on an already bound listening socket until cancelled. */
    public void serve(Socket listener) throws Exception {
        try (TaskGroup g = new TaskGroup()) {
            g.spawn("chat-dispatcher", this::dispatcher);
            g.spawn("chat-listener", () -> Network.runServer(listener, this::handle));
            g.join();
        }
    }

    private void dispatcher() {
        for (Message m : messages) {
            for (TaskQueue<Message> q : subscribers) {
                q.put(m);
            }
        }
    }

    private void publish(String name, String text) {
        LOG.info("{} published {}", clientAddress.get(), text.strip());
        messages.put(new Message(name, text));
    }

    private void outgoing(SocketStream stream) throws java.io.IOException {
        TaskQueue<Message> queue = new TaskQueue<>();
        subscribers.add(queue);
        try {
            for (Message m : queue) {
                stream.write((m.name() + ":" + m.text()).getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            subscribers.remove(queue);
        }
    }

    private void incoming(SocketStream stream, String name) throws java.io.IOException {
        try {
            for (byte[] line : stream) {
                publish(name, new String(line, StandardCharsets.UTF_8));
            }
        } catch (CancelledError e) {
            stream.write((GOING_AWAY + "\n").getBytes(StandardCharsets.UTF_8));
            throw e;
        } catch (java.io.UncheckedIOException e) {
            LOG.info("{} disconnected: {}", clientAddress.get(), e.getCause().getMessage()); // a reset peer is a goodbye
        }
    }

    private void handle(Socket client, SocketAddress addr) throws Exception {
        clientAddress.set(addr);
        LOG.info("Connection from {}", addr);
        try (client) {
            SocketStream stream = client.asStream();
            stream.write("Your name: ".getBytes(StandardCharsets.UTF_8));
            byte[] line = stream.readline();
            String name = new String(line, StandardCharsets.UTF_8).strip();
            publish(name, "joined\n");
            try (TaskGroup workers = new TaskGroup(TaskGroup.Wait.ANY)) {
                workers.spawn("chat-out", () -> outgoing(stream));
                workers.spawn("chat-in", () -> incoming(stream, name));
                workers.join();
            }
            publish(name, "has gone away\n");
        }
        LOG.info("Connection closed {}", addr);
    }
}
