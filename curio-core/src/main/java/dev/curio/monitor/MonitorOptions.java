package dev.curio.monitor;

import java.time.Duration;

/**
 * How a {@link Monitor} listens and what it lets its clients do: the loopback port, whether
 * {@code cancel} is allowed (off unless enabled, like the actuator endpoint's write access), how
 * many clients it serves at once, how long a client may stay silent, and the longest command line.
 *
 * <pre>{@code
 * Monitor.start(kernel, MonitorOptions.defaults().port(0).allowCancel(true));
 * }</pre>
 *
 * <p>Immutable: each {@code with} method returns a copy, so any thread may share one.
 */
public final class MonitorOptions {

    /** Clients served at once unless set; one more is answered with a line and closed. */
    public static final int DEFAULT_MAX_CLIENTS = 8;

    /** How long a client may send nothing (or stall a write) before it is closed, unless set. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    /** The longest command line unless set, in bytes; a longer one is answered with an error and discarded. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1024;

    private final int port;
    private final boolean cancelAllowed;
    private final int maxClients;
    private final Duration idleTimeout;
    private final int maxLineBytes;

    private MonitorOptions(int port, boolean cancelAllowed, int maxClients, Duration idleTimeout, int maxLineBytes) {
        this.port = port;
        this.cancelAllowed = cancelAllowed;
        this.maxClients = maxClients;
        this.idleTimeout = idleTimeout;
        this.maxLineBytes = maxLineBytes;
    }

    /** Curio's port {@value Monitor#DEFAULT_PORT}, cancel refused, and the defaults above. */
    public static MonitorOptions defaults() {
        return new MonitorOptions(Monitor.DEFAULT_PORT, false, DEFAULT_MAX_CLIENTS, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_LINE_BYTES);
    }

    /** The loopback port; {@code 0} picks a free one. */
    public MonitorOptions port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        return new MonitorOptions(port, cancelAllowed, maxClients, idleTimeout, maxLineBytes);
    }

    /**
     * Whether {@code cancel N} cancels (when false, the default, it is refused and audited). In
     * Spring Boot the starter sets it from {@code management.endpoint.curio.access}: unrestricted
     * allows it, as it allows the endpoint's cancel.
     */
    public MonitorOptions allowCancel(boolean allowed) {
        return new MonitorOptions(port, allowed, maxClients, idleTimeout, maxLineBytes);
    }

    /** Clients served at once, at least 1. */
    public MonitorOptions maxClients(int clients) {
        if (clients < 1) {
            throw new IllegalArgumentException("maxClients must be >= 1, was " + clients);
        }
        return new MonitorOptions(port, cancelAllowed, clients, idleTimeout, maxLineBytes);
    }

    /** How long a client may send nothing, or leave an answer unread, before it is closed; positive. */
    public MonitorOptions idleTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("idleTimeout must be positive and at most "
                    + Integer.MAX_VALUE + " ms, was " + timeout);
        }
        return new MonitorOptions(port, cancelAllowed, maxClients, timeout, maxLineBytes);
    }

    /** The longest command line in bytes (without its newline), 16..65536. */
    public MonitorOptions maxLineBytes(int bytes) {
        if (bytes < 16 || bytes > 65536) {
            throw new IllegalArgumentException("maxLineBytes must be in 16..65536, was " + bytes);
        }
        return new MonitorOptions(port, cancelAllowed, maxClients, idleTimeout, bytes);
    }

    public int port() {
        return port;
    }

    public boolean cancelAllowed() {
        return cancelAllowed;
    }

    public int maxClients() {
        return maxClients;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    @Override
    public String toString() {
        return "MonitorOptions(port=" + port + ", cancelAllowed=" + cancelAllowed + ", maxClients=" + maxClients
                + ", idleTimeout=" + idleTimeout + ", maxLineBytes=" + maxLineBytes + ")";
    }
}
