package dev.curio.examples.chat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.net.Network;
import dev.curio.queue.TaskQueue;
import dev.curio.sync.Event;
import dev.curio.task.Local;
import dev.curio.task.TaskGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tutorial's chat server, in its "Task Local Storage" form. Each line a client sends is
 * published to a queue; a dispatcher task copies every message to the queue of each subscriber
 * (one per connected client), whose {@code outgoing} task writes it as {@code name:message}.
 * Each connection runs two tasks in a group that ends when either ends: {@code incoming} (the
 * client's lines) and {@code outgoing}. Cancelling the server cancels every connection, and
 * each client's {@code incoming} writes "SERVER IS GOING AWAY!" on its way out.
 *
 * <p>The client's address is kept in a task-local ({@link Local}), set by the connection's
 * handler and inherited by its {@code incoming} task, so the log lines of {@link #publish}, a
 * plain method that is not passed the address, still name the client. Try it with
 * {@code nc localhost 25000} in a few terminals.
 *
 * <p>One instance is one server's state, used by the tasks of one kernel.
 */
public final class ChatServer {

    /** A chat message: who said it and the line, newline included. */
    record Message(String name, byte[] line) {}

    private final TaskQueue<Message> messages = new TaskQueue<>();
    private final Set<TaskQueue<Message>> subscribers = new LinkedHashSet<>();
    private final Local<SocketAddress> address = new Local<>();
    private final PrintStream log;

    ChatServer(PrintStream log) {
        this.log = log;
    }

    /** A log line, prefixed by the client address of the calling task (none outside a connection). */
    private void log(String message) {
        log.println(address.isSet() ? address.get() + " " + message : message);
    }

    void dispatcher() {
        for (Message m : messages) {
            for (TaskQueue<Message> q : List.copyOf(subscribers)) {
                q.put(m);
            }
        }
    }

    void publish(Message m) {
        log("published " + m.name() + ":" + new String(m.line(), StandardCharsets.UTF_8).strip());
        messages.put(m);
    }

    /** Writes the chat to the client. */
    void outgoing(SocketStream client) throws IOException {
        TaskQueue<Message> queue = new TaskQueue<>();
        subscribers.add(queue);
        try {
            for (Message m : queue) {
                client.write(concat(m.name() + ":", m.line()));
            }
        } finally {
            subscribers.remove(queue);
        }
    }

    /** Publishes the client's lines. */
    void incoming(SocketStream client, String name) throws IOException {
        try {
            for (byte[] line : client) {
                publish(new Message(name, line));
            }
        } catch (CancelledError e) {
            client.write(ascii("SERVER IS GOING AWAY!\n"));
            throw e;
        }
    }

    /** Supervises one connection. */
    void chatHandler(Socket client, SocketAddress addr) throws IOException {
        log("Connection from " + addr);
        address.set(addr);
        SocketStream stream = client.asStream();
        stream.write(ascii("Your name: "));
        String name = new String(stream.readline(), StandardCharsets.UTF_8).strip();
        publish(new Message(name, ascii("joined\n")));
        TaskGroup.run(TaskGroup.Wait.ANY, workers -> {
            workers.spawn("outgoing " + name, () -> outgoing(stream));
            workers.spawn("incoming " + name, () -> incoming(stream, name));
        });
        publish(new Message(name, ascii("has gone away\n")));
        log("connection closed");
    }

    /** Runs the dispatcher and the server on {@code listener} until cancelled. */
    void chatServer(Socket listener) throws IOException {
        try (TaskGroup g = new TaskGroup()) {
            g.spawn("dispatcher", this::dispatcher);
            g.spawn("chat server", () -> Network.runServer(listener, this::chatHandler));
            g.join();
        }
    }

    /** The dispatcher and a server on {@code host}:{@code port} (the tutorial's {@code chat_server}). */
    void chatServer(String host, int port) throws IOException {
        chatServer(Network.tcpServerSocket(host, port));
    }

    int subscriberCount() {
        return subscribers.size();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(String prefix, byte[] line) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[p.length + line.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(line, 0, out, p.length, line.length);
        return out;
    }

    /**
     * {@code java ... ChatServer}: serves on port 25000 and restarts the server (dropping every
     * client) on each line typed on standard input, where the tutorial restarts on SIGHUP.
     */
    public static void main(String[] args) {
        try (Kernel kernel = new Kernel()) {
            Event restart = new Event();
            Thread console = Thread.ofPlatform().daemon().start(() -> {
                var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                try {
                    while (in.readLine() != null) {
                        kernel.submit("restart", () -> {
                            restart.set();
                            return null;
                        });
                    }
                } catch (IOException e) {
                    System.err.println("console: " + e);
                }
            });
            kernel.run(() -> {
                while (true) {
                    System.out.println("Starting the server");
                    ChatServer chat = new ChatServer(System.out);
                    Task<Void> server = Curio.spawn("chat", () -> chat.chatServer("", 25000));
                    restart.await();
                    restart.clear();
                    System.out.println("Server shutting down");
                    server.cancel();
                }
            });
            console.interrupt();
        }
    }
}
