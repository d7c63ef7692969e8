package dev.curio.io;

import dev.curio.CancelledError;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A socket whose blocking operations are kernel traps (Curio's {@code curio.io.Socket}): a
 * non-blocking NIO {@link SocketChannel} (TCP or Unix stream), {@link ServerSocketChannel} or
 * {@link DatagramChannel} (UDP). Each operation tries the system call first and waits in the
 * kernel only when it would block, so cancellation and timeouts are delivered there and leave the
 * socket open and usable. Two tasks waiting to read (or to write) one socket at once is an error:
 * the second gets {@link dev.curio.ReadResourceBusy} ({@link dev.curio.WriteResourceBusy}).
 *
 * <p>Methods that block must be called from a task. A socket is used by the tasks of one kernel;
 * it holds no kernel state itself (the registration lives in the kernel's selector, keyed by the
 * channel), and its fields besides the channel, {@code closed} and {@code drained}, are touched by those tasks.
 *
 * <p>Divergences from Curio: {@code recv} returns an empty array at end of stream as Curio does,
 * and {@code recvInto} returns 0 there (Curio's {@code recv_into}), not NIO's -1; a cancelled
 * {@link #sendall} reports its progress through {@link PartialIo}; socket options are the
 * {@link java.net.StandardSocketOptions}; {@link #blocking()} gives a blocking view instead of
 * switching the channel's mode (a channel registered with a selector cannot be made blocking).
 * A receive after one that left room in its buffer waits for readability before reading (Curio
 * reads first): the socket was drained, so the read would almost always fail, and the kernel's
 * selector answers for all waiting sockets in one system call. Such a receive is therefore always
 * a blocking point, where a pending cancellation or an expired timeout is delivered; data that is
 * already there is still returned by a zero timeout, as in Curio.
 */
public final class Socket implements AutoCloseable {

    /** Which direction(s) {@link #shutdown} closes (Curio's {@code SHUT_RD}, {@code SHUT_WR}, {@code SHUT_RDWR}). */
    public enum How {
        SHUT_RD, SHUT_WR, SHUT_RDWR
    }

    /** A datagram and its sender, as {@link #recvfrom} returns them. */
    public record Datagram(byte[] data, SocketAddress address) {}

    private final SelectableChannel channel;
    private boolean closed;
    /** Whether the last read left room in its buffer: the next one waits for readability first. */
    private boolean drained;

    /**
     * Wraps {@code channel}, a {@link SocketChannel}, {@link ServerSocketChannel} or
     * {@link DatagramChannel}, and puts it into non-blocking mode. The channel is closed only by
     * {@link #close()}.
     */
    public Socket(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        if (!(channel instanceof SocketChannel || channel instanceof ServerSocketChannel
                || channel instanceof DatagramChannel)) {
            throw new IllegalArgumentException("channel must be a SocketChannel, ServerSocketChannel or "
                    + "DatagramChannel, was " + channel.getClass().getName());
        }
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot make " + channel + " non-blocking", e);
        }
        this.channel = channel;
    }

    // ---- creating (Curio's curio.socket.socket()) ----

    /** A new, unconnected stream socket of {@code family} (INET, INET6 or UNIX). */
    public static Socket stream(ProtocolFamily family) throws IOException {
        return new Socket(SocketChannel.open(Objects.requireNonNull(family, "family")));
    }

    /** A new, unbound listening-socket-to-be of {@code family}; bind and {@link #listen} it. */
    public static Socket server(ProtocolFamily family) throws IOException {
        return new Socket(ServerSocketChannel.open(Objects.requireNonNull(family, "family")));
    }

    /** A new datagram (UDP) socket of {@code family} (INET or INET6). */
    public static Socket datagram(ProtocolFamily family) throws IOException {
        return new Socket(DatagramChannel.open(Objects.requireNonNull(family, "family")));
    }

    /** A new TCP/IPv4 stream socket (Curio's {@code socket(AF_INET, SOCK_STREAM)}). */
    public static Socket tcp() throws IOException {
        return stream(StandardProtocolFamily.INET);
    }

    // ---- receiving ----

    /** Receives up to {@code maxBytes} bytes, waiting for at least one; an empty array at end of stream. */
    public byte[] recv(int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        if (channel instanceof ServerSocketChannel) {
            throw notFor("recv");
        }
        byte[] data = ReceiveBuffer.receive(channel, maxBytes, drained);
        drained = data.length < maxBytes;
        return data;
    }

    /** Receives into {@code dst}'s remaining space, waiting for at least one byte; returns the count, 0 at end of stream. */
    public int recvInto(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (channel instanceof ServerSocketChannel) {
            throw notFor("recv");
        }
        int n = ChannelIo.readSome(channel, dst, drained);
        drained = dst.hasRemaining();
        return Math.max(n, 0);
    }

    /** {@link #recvInto(ByteBuffer)} into {@code buf[off, off + len)}. */
    public int recvInto(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, Objects.requireNonNull(buf, "buf").length);
        return recvInto(ByteBuffer.wrap(buf, off, len));
    }

    /** Receives one datagram of at most {@code maxBytes} (the rest of a longer one is discarded) and its sender. */
    public Datagram recvfrom(int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        ByteBuffer b = ByteBuffer.allocate(maxBytes);
        SocketAddress from = recvfromInto(b);
        return new Datagram(java.util.Arrays.copyOf(b.array(), b.position()), from);
    }

    /** Receives one datagram into {@code dst}; returns its sender. */
    public SocketAddress recvfromInto(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        DatagramChannel dc = datagramChannel("recvfrom");
        while (true) {
            SocketAddress from = dc.receive(dst);
            if (from != null) {
                return from;
            }
            ChannelIo.readWait(dc);
        }
    }

    // ---- sending ----

    /** Sends some of {@code data}, waiting until at least one byte can be sent; returns the count. */
    public int send(byte[] data) throws IOException {
        return send(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /** Sends some of {@code src}'s remaining bytes (advancing its position); returns the count. */
    public int send(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        if (channel instanceof ServerSocketChannel) {
            throw notFor("send");
        }
        return ChannelIo.writeSome(channel, src);
    }

    /**
     * Sends all of {@code data}. If cancelled (or timed out), the cancellation carries the count of
     * bytes sent: {@code PartialIo.of(e).bytesSent()}.
     */
    public void sendall(byte[] data) throws IOException {
        sendall(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /** {@link #sendall(byte[])} of {@code src}'s remaining bytes. */
    public void sendall(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        long total = 0;
        try {
            while (src.hasRemaining()) {
                total += send(src);
            }
        } catch (CancelledError e) {
            throw PartialIo.sent(e, total);
        }
    }

    /** Sends {@code data} as one datagram to {@code address}; returns the bytes sent. */
    public int sendto(byte[] data, SocketAddress address) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(address, "address");
        DatagramChannel dc = datagramChannel("sendto");
        ByteBuffer b = ByteBuffer.wrap(data);
        while (true) {
            int n = dc.send(b, address);
            if (n != 0 || data.length == 0) {
                return n;
            }
            ChannelIo.writeWait(dc);
        }
    }

    // ---- connections ----

    /** Binds to {@code address} (for a server socket, call {@link #listen} after). */
    public Socket bind(SocketAddress address) throws IOException {
        ((NetworkChannel) channel).bind(address);
        return this;
    }

    /** Binds a server socket to {@code address} with a queue of {@code backlog} pending connections. */
    public Socket listen(SocketAddress address, int backlog) throws IOException {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0, was " + backlog);
        }
        serverChannel("listen").bind(address, backlog);
        return this;
    }

    /** Waits for a connection and returns it; its peer address is {@link #remoteAddress()}. */
    public Socket accept() throws IOException {
        ServerSocketChannel ssc = serverChannel("accept");
        while (true) {
            SocketChannel c = ssc.accept();
            if (c != null) {
                return new Socket(c);
            }
            ChannelIo.readWait(ssc);
        }
    }

    /** Connects to {@code address}, waiting for the connection to be established. */
    public void connect(SocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (channel instanceof DatagramChannel dc) {
            dc.connect(address);
            return;
        }
        SocketChannel sc = socketChannel("connect");
        if (sc.connect(address)) {
            return;
        }
        while (!sc.finishConnect()) {
            ChannelIo.writeWait(sc);
        }
    }

    /** {@link #connect} returning the failure instead of throwing it (Curio's {@code connect_ex}); null on success. */
    public IOException connectEx(SocketAddress address) {
        try {
            connect(address);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** Shuts down reading, writing or both; the socket stays open. */
    public void shutdown(How how) throws IOException {
        Objects.requireNonNull(how, "how");
        SocketChannel sc = socketChannel("shutdown");
        if (how != How.SHUT_WR) {
            sc.shutdownInput();
        }
        if (how != How.SHUT_RD) {
            sc.shutdownOutput();
        }
    }

    /**
     * Releases the kernel's registration and closes the socket. Idempotent. Call it from a task
     * (Curio's close is awaited for the same reason); a socket never waited on may be closed anywhere.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ChannelIo.release(channel);
    }

    /** The stream closed the channel. */
    void markClosed() {
        closed = true;
    }

    public boolean isClosed() {
        return closed || !channel.isOpen();
    }

    // ---- options and addresses ----

    public <T> Socket setOption(SocketOption<T> option, T value) throws IOException {
        ((NetworkChannel) channel).setOption(Objects.requireNonNull(option, "option"), value);
        return this;
    }

    public <T> T getOption(SocketOption<T> option) throws IOException {
        return ((NetworkChannel) channel).getOption(Objects.requireNonNull(option, "option"));
    }

    /** Whether the socket supports {@code option} (SO_REUSEPORT is not everywhere). */
    public boolean supportsOption(SocketOption<?> option) {
        return ((NetworkChannel) channel).supportedOptions().contains(option);
    }

    public SocketAddress localAddress() throws IOException {
        return ((NetworkChannel) channel).getLocalAddress();
    }

    /** The peer's address, or null if not connected (server sockets have none). */
    public SocketAddress remoteAddress() throws IOException {
        return switch (channel) {
            case SocketChannel sc -> sc.getRemoteAddress();
            case DatagramChannel dc -> dc.getRemoteAddress();
            default -> null;
        };
    }

    // ---- other views ----

    /** A stream over this socket (Curio's {@code as_stream()}); closing the stream closes the socket. */
    public SocketStream asStream() {
        return new SocketStream(this);
    }

    /**
     * A view of the socket that blocks the calling thread (and so the whole kernel) in each
     * operation, for handing the connection to synchronous code (Curio's {@code blocking()}).
     */
    public BlockingView blocking() throws ClosedChannelException {
        if (isClosed()) {
            throw new ClosedChannelException();
        }
        return new BlockingView(channel);
    }

    /** The raw channel. Do not change its blocking mode. */
    public SelectableChannel channel() {
        return channel;
    }

    private SocketChannel socketChannel(String op) {
        if (channel instanceof SocketChannel sc) {
            return sc;
        }
        throw notFor(op);
    }

    private ServerSocketChannel serverChannel(String op) {
        if (channel instanceof ServerSocketChannel ssc) {
            return ssc;
        }
        throw notFor(op);
    }

    private DatagramChannel datagramChannel(String op) {
        if (channel instanceof DatagramChannel dc) {
            return dc;
        }
        throw notFor(op);
    }

    private UnsupportedOperationException notFor(String op) {
        return new UnsupportedOperationException(op + " is not supported on " + channel.getClass().getSimpleName());
    }

    @Override
    public String toString() {
        return "Socket(" + channel + (closed ? ", closed" : "") + ")";
    }
}
