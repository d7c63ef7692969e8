package dev.curio.net;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Tells a connection the peer ended (reset, broken pipe, aborted) from a real failure of a
 * handler. A peer that resets is a normal end of a connection on the internet, so the server
 * logs it at DEBUG instead of as a task crash. Stateless.
 */
final class PeerGone {

    private static final String[] MESSAGES = {"connection reset", "broken pipe", "connection aborted",
        "software caused connection abort"};

    private PeerGone() {}

    /**
     * Why {@code e} (or an exception it wraps, such as an {@code UncheckedIOException} or an
     * {@code SSLException}) says the peer went away, or null if it says something else.
     */
    static String reason(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ClosedChannelException) {
                return t.getClass().getSimpleName();
            }
            if (t instanceof IOException && t.getMessage() != null) {
                String m = t.getMessage().toLowerCase(Locale.ROOT);
                for (String s : MESSAGES) {
                    if (m.contains(s)) {
                        return t.getMessage();
                    }
                }
            }
        }
        return null;
    }
}
