package dev.curio.net;

import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.Objects;

/**
 * Settings of a TCP server socket (Curio's {@code family}, {@code backlog}, {@code reuse_address}
 * and {@code reuse_port} arguments), with Curio's defaults. Immutable.
 */
public record ServerOptions(ProtocolFamily family, int backlog, boolean reuseAddress, boolean reusePort) {

    public ServerOptions {
        Objects.requireNonNull(family, "family");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("family must be INET or INET6 for a TCP server, was " + family);
        }
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0, was " + backlog);
        }
    }

    /** INET, a backlog of 100, SO_REUSEADDR on, SO_REUSEPORT off. */
    public static ServerOptions defaults() {
        return new ServerOptions(StandardProtocolFamily.INET, 100, true, false);
    }

    public ServerOptions family(ProtocolFamily family) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort);
    }

    public ServerOptions backlog(int backlog) {
        return new ServerOptions(family, backlog, reuseAddress, reusePort);
    }

    public ServerOptions reuseAddress(boolean on) {
        return new ServerOptions(family, backlog, on, reusePort);
    }

    public ServerOptions reusePort(boolean on) {
        return new ServerOptions(family, backlog, reuseAddress, on);
    }
}
