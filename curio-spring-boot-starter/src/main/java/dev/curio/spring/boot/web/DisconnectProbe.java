package dev.curio.spring.boot.web;

import java.time.Duration;

/**
 * How {@link CurioRequests} finds out that a client has hung up: a servlet container reports a
 * closed connection only when something is written to it (Tomcat does not watch the socket of an
 * asynchronous request; see the README). So a probe writes one space and flushes, every
 * {@code interval}, from a worker thread; the first write that fails cancels the request's work.
 *
 * <p>The first write commits the response: status 200 and {@code contentType} are sent before the
 * result is known, so an error can no longer change the status. Use it for bodies that allow
 * leading whitespace (JSON, text) and work long enough to be worth watching.
 */
public record DisconnectProbe(Duration interval, String contentType) {

    public DisconnectProbe {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("contentType must not be blank");
        }
    }

    /** A probe every {@code interval} for a JSON body. */
    public static DisconnectProbe json(Duration interval) {
        return new DisconnectProbe(interval, "application/json");
    }
}
