package dev.curio.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads command lines of at most a fixed number of bytes from a client, holding no more than that
 * (plus one fixed read chunk) whatever the client sends: a line that grows past the limit is
 * reported at once as {@link #TOO_LONG} and the rest of it, up to its newline, is skipped without
 * being kept. Bytes that are not UTF-8 decode to U+FFFD. A line ends at LF; a CR before it is dropped.
 *
 * <p>Not thread-safe: one client's thread owns it.
 */
final class BoundedLineReader {

    /** Returned for a line over the limit (compared by identity). */
    static final String TOO_LONG = new String("<line too long>");

    private final InputStream in;
    private final byte[] line;
    private final byte[] chunk = new byte[512];
    private int length;      // bytes of the current line held in `line`
    private int pos, limit;  // unread part of `chunk`
    private boolean skipping; // inside a too-long line: drop bytes up to the next LF
    private int mostHeld;    // the most bytes `line` ever held (what the memory bound is checked on)

    BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.line = new byte[maxLineBytes];
    }

    /** The next line without its end, {@link #TOO_LONG}, or null at end of stream. */
    String readLine() throws IOException {
        while (true) {
            if (pos == limit) {
                int n = in.read(chunk);
                if (n < 0) {
                    return null; // an unfinished last line is dropped, like an aborted command
                }
                pos = 0;
                limit = n;
            }
            while (pos < limit) {
                byte b = chunk[pos++];
                if (b == '\n') {
                    if (skipping) {
                        skipping = false;
                        continue;
                    }
                    int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                    length = 0;
                    return new String(line, 0, n, StandardCharsets.UTF_8);
                }
                if (skipping) {
                    continue;
                }
                if (length == line.length) {
                    length = 0;
                    skipping = true;
                    return TOO_LONG;
                }
                line[length++] = b;
                mostHeld = Math.max(mostHeld, length);
            }
        }
    }

    /** The most bytes of one line this reader has held at once. */
    int mostHeld() {
        return mostHeld;
    }
}
