package dev.curio.sample;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.io.Socket;
import dev.curio.io.SocketStream;
import dev.curio.kernel.Task;
import dev.curio.net.ClientIdleTimeout;
import dev.curio.net.Network;
import dev.curio.net.ServerOptions;
import dev.curio.queue.TaskQueue;
import dev.curio.sync.Event;
import dev.curio.task.Local;
import dev.curio.task.TaskGroup;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's chat server: each client gets an incoming task (reads lines, publishes them) and
 * an outgoing task (writes what the dispatcher sends it), supervised by a task group (wait = ANY).
 * Cancelling the server cancels every client, and each client gets a going-away line. The
 * client's address is task-local, so every log line of its tasks names it.
 *
 * <p>Hostile or broken peers cannot grow its memory without bound, and one flooding sender cannot
 * get the clients that read disconnected:
 * <ul>
 *   <li>each subscriber's backlog (messages published but not yet written to it) holds at most
 *       {@code maxBacklogMessages} messages and {@code maxBacklogChars} characters; while a
 *       subscriber's backlog is full, the dispatcher waits for it (back-pressure: the published
 *       queue fills, publishers wait, and their clients' lines stay in their sockets), as long as
 *       its client takes messages; a subscriber that takes none for {@code stallTimeout} (a client
 *       that stopped reading) is disconnected with a line saying why, and the others go on;</li>
 *   <li>the queue of published messages is bounded too: a client publishing faster than the
 *       dispatcher copies waits (its lines stay in its socket);</li>
 *   <li>lines are bounded by the stream's line limit (64 KiB), and a goodbye line to a client that
 *       does not read is given up after {@code goodbyeTimeout};</li>
 *   <li>the servers' {@link ServerOptions} (the sample passes an idle timeout) close silent clients.</li>
 * </ul>
 * Log lines show client text with control characters escaped, and messages are logged at DEBUG
 * (joins, departures and disconnections at INFO), so a flood of messages is not a flood of INFO lines.
 *
 * <p>Kernel-only: all state is touched by tasks of the one kernel that runs the server.
 */
public final class ChatServer {

    /** What a client sees when the server is cancelled. */
    public static final String GOING_AWAY = "SERVER IS GOING AWAY!";

    /** What a client sees when it is closed for sending nothing for the idle timeout. */
    public static final String IDLE = "IDLE FOR TOO LONG: GOODBYE";

    /** The start of the line a client sees when it is disconnected for not reading. */
    public static final String TOO_FAR_BEHIND = "YOU ARE TOO FAR BEHIND";

    /** Subscriber backlog in messages, unless set. */
    public static final int DEFAULT_MAX_BACKLOG_MESSAGES = 1000;

    /** Subscriber backlog in characters (of names and texts), unless set. */
    public static final int DEFAULT_MAX_BACKLOG_CHARS = 1 << 20;

    /** How long a subscriber with a full backlog may take no message before it is disconnected, unless set. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);

    /** Published messages not yet copied to the subscribers. */
    private static final int PUBLISHED_QUEUE = 64;

    /** Longest client text in a log line. */
    private static final int MAX_LOGGED = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);

    private record Message(String name, String text, int chars) {}

    /** One client's subscription; fields kernel-only. */
    private final class Subscriber {
        final TaskQueue<Message> queue = new TaskQueue<>(maxBacklogMessages);
        /** Characters of the messages in {@link #queue}. */
        int backlogChars;
        /** The outgoing task writing {@link #queue} to the client; set when it subscribes. */
        Task<?> writer;
        /** Why it was disconnected, or null while it keeps up. */
        String dropped;
        /** Set by the writer each time it takes a message, and when it leaves: the dispatcher waits on it. */
        final Event took = new Event();
    }

    private final int maxBacklogMessages;
    private final int maxBacklogChars;
    private final Duration goodbyeTimeout;
    private final Duration stallTimeout;
    private final ServerOptions options;
    private final TaskQueue<Message> messages = new TaskQueue<>(PUBLISHED_QUEUE);
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    private final Local<SocketAddress> clientAddress = new Local<>();
    private long disconnectedForFallingBehind;

    /** A server with the default backlog bounds, a 5 s goodbye timeout and no idle timeout. */
    public ChatServer() {
        this(ServerOptions.defaults());
    }

    /** A server with the default backlog bounds and stall timeout and a 5 s goodbye timeout, served with {@code options}. */
    public ChatServer(ServerOptions options) {
        this(DEFAULT_MAX_BACKLOG_MESSAGES, DEFAULT_MAX_BACKLOG_CHARS, Duration.ofSeconds(5), options);
    }

    /** {@link #ChatServer(int, int, Duration, Duration, ServerOptions)} with the default stall timeout. */
    public ChatServer(int maxBacklogMessages, int maxBacklogChars, Duration goodbyeTimeout, ServerOptions options) {
        this(maxBacklogMessages, maxBacklogChars, goodbyeTimeout, DEFAULT_STALL_TIMEOUT, options);
    }

    /**
     * A server whose subscribers may fall {@code maxBacklogMessages} messages or
     * {@code maxBacklogChars} characters behind (then the dispatcher waits for them), and are
     * disconnected once they take no message for {@code stallTimeout} while that far behind; it
     * gives up a goodbye line after {@code goodbyeTimeout}, and is served with {@code options} (an
     * idle timeout, say).
     */
    public ChatServer(int maxBacklogMessages, int maxBacklogChars, Duration goodbyeTimeout, Duration stallTimeout,
            ServerOptions options) {
        if (maxBacklogMessages < 1 || maxBacklogChars < 1) {
            throw new IllegalArgumentException("backlog bounds must be positive, were " + maxBacklogMessages
                    + " messages and " + maxBacklogChars + " characters");
        }
        if (goodbyeTimeout == null || goodbyeTimeout.isNegative() || goodbyeTimeout.isZero()) {
            throw new IllegalArgumentException("goodbyeTimeout must be positive, was " + goodbyeTimeout);
        }
        if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, was " + stallTimeout);
        }
        this.maxBacklogMessages = maxBacklogMessages;
        this.maxBacklogChars = maxBacklogChars;
        this.goodbyeTimeout = goodbyeTimeout;
        this.stallTimeout = stallTimeout;
        this.options = java.util.Objects.requireNonNull(options, "options");
    }

    /** Runs the server on {@code host:port} until cancelled. */
    public void serve(String host, int port) throws Exception {
        serve(Network.tcpServerSocket(host, port));
    }

    /** Runs the server on an already bound listening socket until cancelled. */
    public void serve(Socket listener) throws Exception {
        try (TaskGroup g = new TaskGroup()) {
            g.spawn("chat-dispatcher", this::dispatcher);
            g.spawn("chat-listener", () -> Network.runServer(listener, this::handle, options));
            g.join();
        }
    }

    /** Clients subscribed now (kernel-only: call from a task of the server's kernel). */
    public int subscribers() {
        return subscribers.size();
    }

    /** Clients disconnected so far for falling behind (kernel-only). */
    public long disconnectedForFallingBehind() {
        return disconnectedForFallingBehind;
    }

    private void dispatcher() {
        List<Subscriber> behind = new ArrayList<>();
        for (Message m : messages) {
            for (Subscriber s : subscribers) { // nothing in this loop suspends: the set cannot change under it
                if (hasRoom(s, m)) {
                    deliver(s, m);
                } else {
                    behind.add(s);
                }
            }
            for (Subscriber s : behind) {
                if (awaitRoom(s, m)) {
                    deliver(s, m);
                }
            }
            behind.clear();
            // Let the writers woken by this message run before the next one, so that a burst of
            // messages (a full published queue, copied without a blocking point) fills only the
            // backlogs of subscribers that really do not keep up.
            Curio.sleep(0);
        }
    }

    private boolean hasRoom(Subscriber s, Message m) {
        return !s.queue.full() && (s.queue.empty() || s.backlogChars <= maxBacklogChars - m.chars());
    }

    private void deliver(Subscriber s, Message m) {
        s.backlogChars += m.chars();
        s.queue.put(m); // never waits: the queue is not full
    }

    /**
     * Back-pressure: waits until {@code s} has room for {@code m}, as long as its writer takes a
     * message at least every {@link #stallTimeout} (each one restarts the wait); while it waits no
     * message is copied, so the published queue fills and publishers wait. False when {@code s}
     * left meanwhile, or took nothing for that long: then it is disconnected.
     */
    private boolean awaitRoom(Subscriber s, Message m) {
        while (subscribers.contains(s) && !hasRoom(s, m)) {
            s.took.clear();
            if (Curio.ignoreAfter(stallTimeout, s.took::await)) {
                subscribers.remove(s);
                drop(s);
                return false;
            }
        }
        return subscribers.contains(s);
    }

    /**
     * Disconnects a subscriber whose backlog stayed full for the stall timeout (already out of
     * {@link #subscribers}); the dispatcher goes on at once: the writer's cancellation does not wait.
     */
    private void drop(Subscriber s) {
        disconnectedForFallingBehind++;
        s.dropped = TOO_FAR_BEHIND + " (" + s.queue.size() + " messages, " + s.backlogChars
                + " characters unread): DISCONNECTED";
        s.writer.cancel(new TaskCancelled("chat subscriber too far behind"), false);
    }

    private void publish(String name, String text) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} ({}) published {}", clientAddress.get(), printable(name), printable(text.strip()));
        }
        messages.put(new Message(name, text, name.length() + text.length() + 1));
    }

    private void outgoing(SocketStream stream, Subscriber me, String name) throws java.io.IOException {
        me.writer = Curio.currentTask();
        subscribers.add(me);
        try {
            for (Message m : me.queue) {
                me.backlogChars -= m.chars();
                me.took.set();
                stream.write((m.name() + ":" + m.text()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (CancelledError e) {
            if (me.dropped == null) {
                throw e;
            }
            // dropped by the dispatcher: end normally, so that the group ends the connection
        } catch (java.io.IOException e) {
            String gone = Network.peerGone(e);
            if (gone == null) {
                throw e;
            }
            // a reset peer is a goodbye, not a crash: end normally, so that the group ends the connection
            LOG.info("{} ({}) disconnected while the server wrote to it: {}", clientAddress.get(), printable(name), gone);
        } finally {
            subscribers.remove(me);
            me.took.set(); // a dispatcher waiting for it sees it gone
        }
    }

    private void incoming(SocketStream stream, String name) throws java.io.IOException {
        try {
            for (byte[] line : stream) {
                publish(name, new String(line, StandardCharsets.UTF_8));
            }
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
            LOG.info("{} joined as {}", addr, printable(name));
            publish(name, "joined\n");
            Subscriber me = new Subscriber();
            try (TaskGroup workers = new TaskGroup(TaskGroup.Wait.ANY)) {
                workers.spawn("chat-out", () -> outgoing(stream, me, name));
                workers.spawn("chat-in", () -> incoming(stream, name));
                workers.join();
            } catch (CancelledError e) {
                goodbye(stream, e instanceof ClientIdleTimeout ? IDLE : GOING_AWAY);
                throw e;
            }
            if (me.dropped != null) {
                LOG.warn("{} ({}) disconnected: {}", addr, printable(name), me.dropped);
                goodbye(stream, "\n" + me.dropped); // on a line of its own: a message may have been cut
            }
            publish(name, "has gone away\n");
        }
        LOG.info("Connection closed {}", addr);
    }

    /** Writes a last line, giving up after the goodbye timeout (a client that does not read). */
    private void goodbye(SocketStream stream, String line) throws java.io.IOException {
        Curio.ignoreAfter(goodbyeTimeout, () -> stream.write((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code text} fit for one log line: control characters, line and paragraph separators and
     * bidirectional controls escaped as {@code \\uXXXX}, cut to {@value #MAX_LOGGED} characters.
     */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), MAX_LOGGED); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\\') {
                b.append(c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return text.length() > MAX_LOGGED ? b + "..." : b.toString();
    }
}
