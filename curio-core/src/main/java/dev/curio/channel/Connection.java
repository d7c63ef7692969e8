package dev.curio.channel;

import dev.curio.CancelledError;
import dev.curio.io.ChannelStream;
import dev.curio.io.PartialIo;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message passing over a stream (Curio's {@code Connection}): each message is one frame, a 4-byte
 * big-endian length and that many bytes, at most {@link #maxFrame()} (16 MiB unless set).
 * {@link #send}/{@link #recv} carry objects in the {@link ObjectCodec} encoding;
 * {@link #sendBytes}/{@link #recvBytes} raw bytes.
 *
 * <p>Failures on the receiving side, all {@link IOException}s: {@link EOFException} when the peer
 * closes (between frames, or mid-frame: then the message says how far it got);
 * {@link ChannelProtocolError} for a frame length above the maximum or negative;
 * {@link MessageFormatError} for a payload that does not decode (the connection stays usable);
 * {@link AuthenticationError} from the handshake. After any error but the last two kinds, or a
 * receive or send cancelled mid-frame, the connection is out of step: it is closed, and further
 * use raises {@link ChannelProtocolError}.
 *
 * <p>Authentication ({@link #authenticateServer}/{@link #authenticateClient}, done by
 * {@link Channel}) is mutual: each side sends a random challenge and checks the HMAC-SHA256 of it
 * under the shared key, computed by the other side with its role mixed in (so a challenge cannot
 * be reflected back). Handshake frames are limited to 256 bytes, and nothing is decoded before
 * both sides are through.
 *
 * <p>Used by tasks of one kernel, one receiver and one sender at a time (the stream's rule).
 */
public final class Connection implements AutoCloseable {

    /** The default {@link #maxFrame()}: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

    private static final int HANDSHAKE_MAX = 256;
    private static final byte[] CHALLENGE = "#CHALLENGE#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChannelStream stream;
    private int maxFrame = DEFAULT_MAX_FRAME;
    /** Why the connection is out of step, or null while it is usable. */
    private String broken;

    /** A connection over {@code stream}, which it owns (closing the connection closes it). */
    public Connection(ChannelStream stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    public int maxFrame() {
        return maxFrame;
    }

    /** Sets the longest frame accepted or sent, in bytes; returns this connection. */
    public Connection maxFrame(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxFrame must be >= 1, was " + bytes);
        }
        this.maxFrame = bytes;
        return this;
    }

    // ---- objects ----

    /** Sends {@code obj} as one message (see {@link ObjectCodec} for what may be sent). */
    public void send(Object obj) throws IOException {
        sendBytes(ObjectCodec.encode(obj));
    }

    /** Receives one object. */
    public Object recv() throws IOException {
        return ObjectCodec.decode(recvBytes());
    }

    // ---- bytes ----

    public void sendBytes(byte[] buf) throws IOException {
        Objects.requireNonNull(buf, "buf");
        sendBytes(buf, 0, buf.length);
    }

    /** Sends the bytes of {@code buf} from {@code offset} to its end as one message. */
    public void sendBytes(byte[] buf, int offset) throws IOException {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative");
        }
        if (offset > buf.length) {
            throw new IllegalArgumentException("buffer length < offset");
        }
        sendBytes(buf, offset, buf.length - offset);
    }

    /** Sends {@code size} bytes of {@code buf} from {@code offset} as one message. */
    public void sendBytes(byte[] buf, int offset, int size) throws IOException {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative");
        }
        if (offset > buf.length) {
            throw new IllegalArgumentException("buffer length < offset");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative");
        }
        if (size > buf.length - offset) {
            throw new IllegalArgumentException("buffer length < offset + size");
        }
        if (size > maxFrame) {
            throw new IllegalArgumentException("a message of " + size + " bytes exceeds maxFrame " + maxFrame);
        }
        writeFrame(buf, offset, size);
    }

    /** Receives one message's bytes. */
    public byte[] recvBytes() throws IOException {
        return readFrame(maxFrame);
    }

    // ---- authentication ----

    /** The accepting side's handshake: challenges the client, then answers its challenge. */
    public void authenticateServer(byte[] authkey) throws IOException {
        Objects.requireNonNull(authkey, "authkey");
        handshake(() -> {
            deliverChallenge(authkey, "C");
            answerChallenge(authkey, "S");
        });
    }

    /** The connecting side's handshake: answers the server's challenge, then challenges it. */
    public void authenticateClient(byte[] authkey) throws IOException {
        Objects.requireNonNull(authkey, "authkey");
        handshake(() -> {
            answerChallenge(authkey, "C");
            deliverChallenge(authkey, "S");
        });
    }

    private interface Step {
        void run() throws IOException;
    }

    private void handshake(Step step) throws IOException {
        try {
            step.run();
        } catch (IOException e) {
            breakOff("the authentication handshake failed: " + e.getMessage());
            throw e;
        }
    }

    private void deliverChallenge(byte[] key, String peerRole) throws IOException {
        byte[] challenge = Arrays.copyOf(CHALLENGE, CHALLENGE.length + 32);
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, challenge, CHALLENGE.length, 32);
        writeFrame(challenge, 0, challenge.length);
        byte[] answer = readFrame(HANDSHAKE_MAX);
        if (!MessageDigest.isEqual(answer, digest(key, peerRole, challenge))) {
            writeFrame(FAILURE, 0, FAILURE.length);
            throw new AuthenticationError("digest received was wrong (the peer does not have the authkey)");
        }
        writeFrame(WELCOME, 0, WELCOME.length);
    }

    private void answerChallenge(byte[] key, String myRole) throws IOException {
        byte[] challenge = readFrame(HANDSHAKE_MAX);
        if (challenge.length <= CHALLENGE.length
                || !Arrays.equals(challenge, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length)) {
            throw new AuthenticationError("expected an authentication challenge, got a frame of "
                    + challenge.length + " bytes (does the peer use an authkey?)");
        }
        byte[] answer = digest(key, myRole, challenge);
        writeFrame(answer, 0, answer.length);
        byte[] verdict = readFrame(HANDSHAKE_MAX);
        if (!Arrays.equals(verdict, WELCOME)) {
            throw new AuthenticationError("digest sent was rejected (the peer has another authkey)");
        }
    }

    private static byte[] digest(byte[] key, String role, byte[] challenge) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            mac.update(role.getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    // ---- frames ----

    private void writeFrame(byte[] buf, int offset, int size) throws IOException {
        checkUsable();
        byte[] frame = ByteBuffer.allocate(4 + size).putInt(size).put(buf, offset, size).array();
        try {
            stream.write(frame);
        } catch (CancelledError e) {
            if (PartialIo.of(e).bytesWritten() > 0) {
                breakOff("a send was interrupted mid-frame");
            }
            throw e;
        } catch (IOException e) {
            breakOff("a send failed: " + e.getMessage());
            throw e;
        }
    }

    private byte[] readFrame(int max) throws IOException {
        checkUsable();
        int got = 0;
        try {
            byte[] header = stream.readExactly(4);
            got = 4;
            int n = ByteBuffer.wrap(header).getInt();
            if (n < 0 || n > max) {
                throw new ChannelProtocolError("frame of " + n + " bytes refused: "
                        + (n < 0 ? "a length cannot be negative" : "the limit is " + max));
            }
            return stream.readExactly(n);
        } catch (EOFException e) {
            int partial = got + PartialIo.of(e).bytesRead().length;
            breakOff("the peer closed the connection");
            if (partial == 0) {
                throw new EOFException("the peer closed the connection");
            }
            throw new EOFException("the peer closed the connection mid-frame, after " + partial + " bytes of it");
        } catch (CancelledError e) {
            if (got > 0 || PartialIo.of(e).bytesRead().length > 0) {
                breakOff("a receive was interrupted mid-frame");
            }
            throw e;
        } catch (IOException e) {
            breakOff(e.getMessage());
            throw e;
        }
    }

    private void checkUsable() throws IOException {
        if (broken != null) {
            throw new ChannelProtocolError("connection unusable: " + broken);
        }
    }

    /** Marks the connection out of step and closes it. */
    private void breakOff(String why) {
        if (broken == null) {
            broken = why;
        }
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort here: the connection is already failing
        }
    }

    /** Closes the connection. Idempotent; from a task. */
    @Override
    public void close() throws IOException {
        if (broken == null) {
            broken = "closed";
        }
        stream.close();
    }

    public boolean isClosed() {
        return stream.isClosed();
    }

    @Override
    public String toString() {
        return "Connection(" + stream + (broken == null ? "" : ", " + broken) + ")";
    }
}
