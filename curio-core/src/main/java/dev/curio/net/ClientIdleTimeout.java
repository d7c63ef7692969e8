package dev.curio.net;

import dev.curio.TaskCancelled;

/**
 * The cancellation a server delivers to a client's handler when the client sent nothing for the
 * server's {@link ServerOptions#idleTimeout(java.time.Duration) idle timeout}. A cancellation
 * like any other: the handler may clean up (say goodbye) and must let it propagate.
 */
public final class ClientIdleTimeout extends TaskCancelled {
    public ClientIdleTimeout(String reason) {
        super(reason);
    }
}
