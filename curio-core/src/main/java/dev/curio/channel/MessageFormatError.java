package dev.curio.channel;

/**
 * A complete frame whose payload is not a valid encoded object (see {@link ObjectCodec}). The
 * frame was read whole, so the connection stays usable for the next message.
 */
public class MessageFormatError extends ChannelProtocolError {
    public MessageFormatError(String message) {
        super(message);
    }
}
