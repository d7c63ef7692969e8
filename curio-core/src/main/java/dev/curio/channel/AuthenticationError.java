package dev.curio.channel;

/**
 * The peer failed the authentication handshake (multiprocessing's {@code AuthenticationError}):
 * a wrong key, or something other than the handshake's frames. The connection is closed.
 */
public class AuthenticationError extends ChannelProtocolError {
    public AuthenticationError(String message) {
        super(message);
    }
}
