package dev.curio.channel;

import java.io.IOException;

/**
 * The peer broke the channel protocol: a frame longer than allowed or with a negative length, or a
 * connection that a failed or interrupted exchange left out of step. The connection is closed
 * (except for {@link MessageFormatError}, which spoils one message only).
 */
public class ChannelProtocolError extends IOException {
    public ChannelProtocolError(String message) {
        super(message);
    }
}
