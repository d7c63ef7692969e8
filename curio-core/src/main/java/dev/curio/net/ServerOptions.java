package dev.curio.net;

import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a TCP server (Curio's {@code family}, {@code backlog}, {@code reuse_address} and
 * {@code reuse_port} arguments, with Curio's defaults) and of the connections it serves. Immutable.
 *
 * @param idleTimeout how long a client may send nothing before the server closes it, or null for
 *        never (Curio has no such limit); see {@link #idleTimeout(Duration)}
 * @param handshakeTimeout how long a TLS client may take to complete its handshake, or null for
 *        no limit; ignored by plain servers
 */
public record ServerOptions(ProtocolFamily family, int backlog, boolean reuseAddress, boolean reusePort,
        Duration idleTimeout, Duration handshakeTimeout) {

    public ServerOptions {
        Objects.requireNonNull(family, "family");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("family must be INET or INET6 for a TCP server, was " + family);
        }
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0, was " + backlog);
        }
        checkTimeout("idleTimeout", idleTimeout);
        checkTimeout("handshakeTimeout", handshakeTimeout);
    }

    /** Socket settings only, no connection timeouts. */
    public ServerOptions(ProtocolFamily family, int backlog, boolean reuseAddress, boolean reusePort) {
        this(family, backlog, reuseAddress, reusePort, null, null);
    }

    /** INET, a backlog of 100, SO_REUSEADDR on, SO_REUSEPORT off, no idle or handshake timeout. */
    public static ServerOptions defaults() {
        return new ServerOptions(StandardProtocolFamily.INET, 100, true, false);
    }

    public ServerOptions family(ProtocolFamily family) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, idleTimeout, handshakeTimeout);
    }

    public ServerOptions backlog(int backlog) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, idleTimeout, handshakeTimeout);
    }

    public ServerOptions reuseAddress(boolean on) {
        return new ServerOptions(family, backlog, on, reusePort, idleTimeout, handshakeTimeout);
    }

    public ServerOptions reusePort(boolean on) {
        return new ServerOptions(family, backlog, reuseAddress, on, idleTimeout, handshakeTimeout);
    }

    /**
     * Closes a client that sends nothing for {@code timeout} (slow or vanished peers holding a
     * descriptor forever): when a task of the connection (its handler's task or a task that one
     * spawned) has waited to read for that long without receiving a byte, the handler's task is
     * cancelled with {@link ClientIdleTimeout} and the connection closed. The server looks twice
     * per {@code timeout}, so a silent client is closed after between 1 and 1.5 times
     * {@code timeout} of silence. A handler busy elsewhere (writing, waiting for a queue) is not
     * idle. Must be positive.
     */
    public ServerOptions idleTimeout(Duration timeout) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort,
                Objects.requireNonNull(timeout, "idleTimeout"), handshakeTimeout);
    }

    /**
     * Closes a TLS client whose handshake is not complete {@code timeout} after it was accepted;
     * the handler is not called for it. The handshake then runs before the handler is called
     * (without it, on the handler's first read or write). Must be positive.
     */
    public ServerOptions handshakeTimeout(Duration timeout) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort, idleTimeout,
                Objects.requireNonNull(timeout, "handshakeTimeout"));
    }

    private static void checkTimeout(String what, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(what + " must be positive (null for none), was " + d);
        }
    }
}
