package dev.curio.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file opened in text mode by {@link AsyncFile#aopen}: reads return strings, decoded strictly
 * (malformed input is a {@link CharacterCodingException}, as Python's default {@code errors="strict"}).
 *
 * <p>Divergences from Python's text files, for exactness of positions: no newline translation
 * (lines end at {@code '\n'}; a {@code "\r\n"} stays in the line), and {@link #seek}/{@link #tell}
 * use byte positions rather than opaque cookies. The charset must encode {@code '\n'} as the
 * single byte 10 (UTF-8, ASCII, the ISO-8859 family...), so lines can be found in the bytes.
 * Same thread rules as {@link AsyncFile}.
 */
public final class TextFile extends AsyncFile<String> {

    private final Charset charset;

    TextFile(Path path, OpenMode mode, FileChannel channel, Charset charset) {
        super(path, mode, channel);
        this.charset = charset;
    }

    static void checkCharset(Charset charset) {
        if (!charset.canEncode() || !Arrays.equals("\n".getBytes(charset), new byte[] {'\n'})) {
            throw new IllegalArgumentException("charset " + charset
                    + " does not encode '\\n' as one byte 10; open the file with aopenBinary and decode it yourself");
        }
    }

    public Charset charset() {
        return charset;
    }

    /** Reads to end of file. */
    public String read() throws IOException {
        return readall();
    }

    /** Reads up to {@code n} characters (all if negative); fewer only at end of file; empty at end of file. */
    public String read(int n) throws IOException {
        if (n < 0) {
            return readall();
        }
        return io("read", ch -> readChars(ch, n));
    }

    @Override
    public String readall() throws IOException {
        return io("readall", ch -> decode(readBytes(ch, -1)));
    }

    @Override
    public String readline() throws IOException {
        return io("readline", ch -> decode(lineBytes(ch, -1)));
    }

    @Override
    public int write(String data) throws IOException {
        byte[] b = toBytes(java.util.Objects.requireNonNull(data, "data"));
        io("write", ch -> {
            writeAll(ch, b);
            return null;
        });
        return data.length();
    }

    @Override
    String fromBytes(byte[] b) throws IOException {
        return decode(b);
    }

    @Override
    byte[] toBytes(String data) throws IOException {
        ByteBuffer b = charset.newEncoder().encode(CharBuffer.wrap(data));
        return Arrays.copyOf(b.array(), b.limit());
    }

    @Override
    boolean isEmpty(String data) {
        return data.isEmpty();
    }

    private String decode(byte[] b) throws CharacterCodingException {
        return charset.newDecoder().decode(ByteBuffer.wrap(b)).toString();
    }

    /** Decodes {@code n} characters from the position, leaving it after the bytes they took. */
    private String readChars(FileChannel ch, int n) throws IOException {
        requireReadable();
        if (n == 0) {
            return "";
        }
        CharsetDecoder dec = charset.newDecoder();
        CharBuffer out = CharBuffer.allocate(n + 1);
        out.limit(n);
        ByteBuffer in = ByteBuffer.allocate(CHUNK);
        long readPos = ch.position();
        boolean eof = false;
        while (true) {
            if (!eof) {
                int r = ch.read(in, readPos);
                if (r < 0) {
                    eof = true;
                } else {
                    readPos += r;
                }
            }
            in.flip();
            CoderResult cr = dec.decode(in, out, eof);
            in.compact();
            if (cr.isError()) {
                cr.throwException();
            }
            if (cr.isOverflow()) {
                if (out.limit() == n && out.position() == n - 1) {
                    out.limit(n + 1); // a surrogate pair counts as one character, as in Python
                    continue;
                }
                break;
            }
            if (eof) {
                dec.flush(out);
                break;
            }
        }
        ch.position(readPos - in.position()); // bytes read but not decoded go back
        return out.flip().toString();
    }
}
