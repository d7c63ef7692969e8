package dev.curio.net;

import dev.curio.kernel.Kernel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the servers of one kernel met, counted since the kernel started (monitoring reads it, as
 * Trio's {@code statistics()} records are read). Written by the servers' tasks, read from any
 * thread: every counter only grows.
 */
public final class NetworkStatistics {

    private final AtomicLong acceptErrors = new AtomicLong();
    private final AtomicLong idleTimeouts = new AtomicLong();
    private final AtomicLong handshakeTimeouts = new AtomicLong();
    private final AtomicLong peerResets = new AtomicLong();

    private NetworkStatistics() {}

    /** The statistics of {@code kernel}'s servers (created empty on first use). Any thread. */
    public static NetworkStatistics of(Kernel kernel) {
        Objects.requireNonNull(kernel, "kernel");
        return kernel.attachment(NetworkStatistics.class, NetworkStatistics::new);
    }

    /** Failed {@code accept()} calls that the servers backed off from and retried (EMFILE, ECONNABORTED...). */
    public long acceptErrors() {
        return acceptErrors.get();
    }

    /** Clients closed because they sent nothing for their server's idle timeout. */
    public long idleTimeouts() {
        return idleTimeouts.get();
    }

    /** TLS clients closed because their handshake took longer than their server's handshake timeout. */
    public long handshakeTimeouts() {
        return handshakeTimeouts.get();
    }

    /** Client handlers ended by the peer resetting or abandoning the connection (a normal end, not a crash). */
    public long peerResets() {
        return peerResets.get();
    }

    void acceptError() {
        acceptErrors.incrementAndGet();
    }

    void idleTimeout() {
        idleTimeouts.incrementAndGet();
    }

    void handshakeTimeout() {
        handshakeTimeouts.incrementAndGet();
    }

    void peerReset() {
        peerResets.incrementAndGet();
    }

    @Override
    public String toString() {
        return "NetworkStatistics(acceptErrors=" + acceptErrors() + ", idleTimeouts=" + idleTimeouts()
                + ", handshakeTimeouts=" + handshakeTimeouts() + ", peerResets=" + peerResets() + ")";
    }
}
