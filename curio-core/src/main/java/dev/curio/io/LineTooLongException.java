package dev.curio.io;

import java.io.IOException;

/**
 * A line being read grew past the stream's maximum line length without a newline, so that a
 * peer sending an endless line cannot exhaust memory. The bytes read so far stay buffered in the
 * stream ({@link ChannelStream#read(int)} returns them).
 */
public class LineTooLongException extends IOException {
    private final int maxLength;

    public LineTooLongException(int maxLength) {
        super("line longer than the maximum of " + maxLength + " bytes");
        this.maxLength = maxLength;
    }

    /** The limit that was exceeded. */
    public int maxLength() {
        return maxLength;
    }
}
