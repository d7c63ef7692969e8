package dev.curio.workers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * The worker pipe's framing: a 4-byte big-endian length, then a Java-serialized object. The pipe
 * connects a parent to the child it started from its own class path, so both ends are the same
 * program; still, frames are bounded and decoding is limited in depth and size so that a confused
 * or broken worker becomes an error, not an exhausted parent.
 */
final class Frames {

    /** Largest frame either side accepts. */
    static final int MAX_FRAME = 256 * 1024 * 1024;

    private static final ObjectInputFilter LIMITS =
            ObjectInputFilter.Config.createFilter("maxdepth=200;maxrefs=10000000;maxbytes=" + MAX_FRAME);

    private Frames() {}

    static void write(OutputStream out, Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
            oos.writeObject(value);
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(bytes.size());
        bytes.writeTo(data);
        data.flush();
    }

    /** Reads one frame; {@link EOFException} at a clean end of stream. */
    static Object read(InputStream in) throws IOException, ClassNotFoundException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length + " (limit " + MAX_FRAME + ")");
        }
        byte[] payload = data.readNBytes(length);
        if (payload.length != length) {
            throw new EOFException("frame cut short: " + payload.length + " of " + length + " bytes");
        }
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            ois.setObjectInputFilter(LIMITS);
            return ois.readObject();
        }
    }

    /** What a worker sends back: a value, or the exception the work threw. */
    record Reply(boolean ok, Object value, Throwable error) implements java.io.Serializable {}
}
