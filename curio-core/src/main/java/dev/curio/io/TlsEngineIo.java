package dev.curio.io;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.WaitQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The mechanics of {@link TlsSocket}: an {@link SSLEngine} driven over a non-blocking channel,
 * every wait a kernel read-wait or write-wait trap (so cancellation and timeouts arrive there).
 *
 * <p>Three buffers, each in fill mode (position = end of data) whenever a task may wait:
 * <ul>
 *   <li>{@code netIn}: ciphertext received and not yet unwrapped;</li>
 *   <li>{@code appIn}: plaintext unwrapped and not yet returned to the reader;</li>
 *   <li>{@code netOut}: ciphertext wrapped and not yet written to the channel.</li>
 * </ul>
 * A wait that is cancelled leaves them intact, which is what keeps the connection usable: unread
 * ciphertext is unwrapped by the next read, unsent ciphertext is written first by the next write.
 *
 * <p>Used by the tasks of one kernel, one reader and one writer at a time (full duplex), who never
 * run at once, so fields need no locking. What one side needs of the other:
 * <ul>
 *   <li>the handshake is run by one task ({@code handshaker}); others wanting I/O wait for it;</li>
 *   <li>a reader that must answer the peer (post-handshake messages, a close_notify reply) adds its
 *       record to {@code netOut} and writes it itself unless a writer ({@code flusher}) is already
 *       waiting to write, which will write it too: two tasks never wait on one channel's writes;</li>
 *   <li>a writer whose engine needs input (a TLS 1.2 renegotiation) lets a waiting reader fetch it
 *       ({@code readerProgress}) instead of waiting on the channel's reads itself.</li>
 * </ul>
 */
final class TlsEngineIo {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine engine;
    private final SocketChannel channel;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;

    private boolean handshakeStarted;
    private boolean handshakeDone;
    private SSLException handshakeFailure;
    /** The task running the handshake, or null; others wait in {@code handshakeWaiters}. */
    private Task<?> handshaker;
    private final WaitQueue handshakeWaiters = new WaitQueue();
    /** The task waiting to write {@code netOut}, or null. */
    private Task<?> flusher;
    /** The task waiting to read ciphertext, or null; wakes {@code readerProgress} after each record. */
    private Task<?> reader;
    private final WaitQueue readerProgress = new WaitQueue();
    /** No more plaintext will come: close_notify or end of stream seen. */
    private boolean inboundDone;

    TlsEngineIo(SSLEngine engine, SocketChannel channel) {
        this.engine = engine;
        this.channel = channel;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(2 * packet); // room for a record and the start of the next
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(packet);
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    // ---- handshake ----

    /** Runs the handshake unless done; if another task runs it, waits for that task instead. */
    void handshake() throws IOException {
        while (!handshakeDone) {
            if (handshakeFailure != null) {
                throw new SSLHandshakeException("TLS handshake failed earlier: " + handshakeFailure.getMessage(),
                        handshakeFailure);
            }
            if (handshaker == null) {
                runHandshake();
            } else {
                handshakeWaiters.suspend("TLS_HANDSHAKE");
            }
        }
    }

    private void runHandshake() throws IOException {
        handshaker = Kernel.currentTask();
        try {
            if (!handshakeStarted) {
                handshakeStarted = true;
                engine.beginHandshake();
            }
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NOT_HANDSHAKING, FINISHED -> {
                        flush();
                        handshakeDone = true;
                        return;
                    }
                    case NEED_TASK -> runDelegatedTasks();
                    case NEED_WRAP -> {
                        if (wrap(EMPTY).getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLHandshakeException("the TLS engine closed during the handshake");
                        }
                        flush();
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapOnce(false)) {
                            throw new SSLHandshakeException("the peer closed the connection during the TLS handshake");
                        }
                    }
                }
            }
        } catch (SSLException e) {
            handshakeFailure = e;
            sendAlertQuietly();
            throw e;
        } finally {
            handshaker = null;
            handshakeWaiters.wake(handshakeWaiters.size());
        }
    }

    /** After a failure the engine may hold an alert for the peer: send it if it goes without waiting. */
    private void sendAlertQuietly() {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone() && engine.wrap(EMPTY, netOut).bytesProduced() > 0) {
                // collect the alert and close_notify
            }
            netOut.flip();
            channel.write(netOut);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the failure being reported matters more
        } finally {
            netOut.clear();
        }
    }

    private void runDelegatedTasks() {
        // Certificate checks and key computations: short CPU work, run in the task like Curio's
        // ssl module runs them inside the kernel.
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
            t.run();
        }
    }

    // ---- reading ----

    /** Copies plaintext into {@code dst}, reading and unwrapping if none is buffered; -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        handshake();
        while (appIn.position() == 0) {
            if (inboundDone || !unwrapOnce(false)) {
                return -1;
            }
        }
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        appIn.compact();
        return n;
    }

    int buffered() {
        return appIn.position();
    }

    /**
     * Unwraps one record from {@code netIn} into {@code appIn}, reading ciphertext (waiting) until
     * a whole record is there. Returns false at the end of the inbound side (close_notify, or the
     * channel's end of stream without one: a "ragged" end, taken as an end as Python's
     * {@code suppress_ragged_eofs} does). A writer ({@code forWriter}) leaves the reading of the
     * channel to a reader already waiting on it; anyone else would get {@link dev.curio.ReadResourceBusy}.
     */
    private boolean unwrapOnce(boolean forWriter) throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (r.getStatus()) {
                case OK -> {
                    answerEngine(r.getHandshakeStatus());
                    if (r.bytesConsumed() > 0 || r.bytesProduced() > 0
                            || r.getHandshakeStatus() == HandshakeStatus.NEED_TASK
                            || r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return true;
                    }
                    if (!readCiphertext(forWriter)) { // nothing usable yet: more input is needed
                        return false;
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    if (!readCiphertext(forWriter)) {
                        return false;
                    }
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case CLOSED -> {
                    inboundDone = true;
                    answerEngine(r.getHandshakeStatus());
                    return false;
                }
            }
        }
    }

    /** Reads ciphertext into {@code netIn} (waiting for some); false at end of stream. */
    private boolean readCiphertext(boolean forWriter) throws IOException {
        if (forWriter && reader != null) {
            // A reader already waits on this channel (our wait would be ReadResourceBusy):
            // wait until it has brought records in, and look at the engine again.
            readerProgress.suspend("TLS_READ_WAIT");
            return true;
        }
        int n;
        reader = Kernel.currentTask();
        try {
            // The field is read again after each wait: another task may have replaced the buffer.
            while ((n = channel.read(netIn)) == 0) {
                ChannelIo.readWait(channel);
            }
        } finally {
            reader = null;
            readerProgress.wake(readerProgress.size());
        }
        if (n < 0) {
            inboundDone = true;
            try {
                engine.closeInbound();
            } catch (SSLException ragged) {
                // the peer closed without close_notify; an end of stream all the same
            }
            return false;
        }
        return true;
    }

    /** Does what the engine asks after an unwrap or wrap: delegated work, or a record for the peer. */
    private void answerEngine(HandshakeStatus hs) throws IOException {
        if (hs == HandshakeStatus.NEED_TASK) {
            runDelegatedTasks();
            hs = engine.getHandshakeStatus();
        }
        if (hs == HandshakeStatus.NEED_WRAP && handshaker == null) {
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && wrap(EMPTY).bytesProduced() > 0) {
                // a post-handshake record (key update, close_notify reply)
            }
            if (flusher == null) {
                flush(); // else the waiting writer sends it with its own data
            }
        }
    }

    // ---- writing ----

    /**
     * Wraps up to one record of {@code src} into {@code netOut} (first writing out what is there)
     * and returns the plaintext bytes taken; the caller then {@link #flush()}es. A record taken is
     * committed: if the flush is cancelled, the next write or flush sends it.
     */
    int wrapSome(ByteBuffer src) throws IOException {
        handshake();
        flush();
        while (true) {
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case OK -> {
                    answerEngine(r.getHandshakeStatus());
                    if (r.bytesConsumed() > 0 || !src.hasRemaining()) {
                        return r.bytesConsumed();
                    }
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                        // Renegotiation: the engine needs the peer's answer before more data.
                        flush();
                        unwrapOnce(true);
                    }
                }
                case BUFFER_OVERFLOW -> {
                    if (netOut.position() > 0) {
                        flush();
                    } else {
                        netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                    }
                }
                case BUFFER_UNDERFLOW -> throw new SSLException("unexpected underflow wrapping data");
                case CLOSED -> throw new SSLException("the TLS connection is closed for writing");
            }
        }
    }

    /** Wraps {@code src} (handshake records, or nothing) into {@code netOut}, growing it if needed. */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        while (true) {
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                continue;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            }
            return r;
        }
    }

    /** Writes all of {@code netOut}, waiting while the channel is full. */
    void flush() throws IOException {
        if (netOut.position() == 0) {
            return;
        }
        flusher = Kernel.currentTask();
        try {
            while (netOut.position() > 0) {
                // Back in fill mode before each wait, so that a reader may add records meanwhile.
                netOut.flip();
                int n;
                try {
                    n = channel.write(netOut);
                } finally {
                    netOut.compact();
                }
                if (n == 0) {
                    ChannelIo.writeWait(channel);
                }
            }
        } finally {
            flusher = null;
        }
    }

    // ---- closing ----

    /** Sends close_notify (waiting to write it): the peer reads an end of stream. */
    void closeOutbound() throws IOException {
        if (!handshakeStarted || engine.isOutboundDone()) {
            return;
        }
        engine.closeOutbound();
        while (!engine.isOutboundDone() && wrap(EMPTY).bytesProduced() > 0) {
            // close_notify
        }
        flush();
    }

    /** Before the channel closes: sends what is pending and close_notify if that goes without waiting. */
    void closeQuietly() {
        if (!handshakeStarted) {
            return;
        }
        try {
            if (!engine.isOutboundDone()) {
                engine.closeOutbound();
                while (!engine.isOutboundDone() && wrap(EMPTY).bytesProduced() > 0) {
                    // close_notify
                }
            }
            netOut.flip();
            channel.write(netOut);
        } catch (IOException | RuntimeException ignored) {
            // the channel closes anyway
        } finally {
            netOut.clear();
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer n = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + atLeast));
        b.flip();
        n.put(b);
        return n;
    }
}
