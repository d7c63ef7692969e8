package dev.curio.subprocess;

import dev.curio.io.ChannelStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * Curio streams over a child's pipes. A process's pipes are plain blocking Java streams, which a
 * kernel cannot wait on; so each one is pumped by a daemon platform thread through a
 * {@link Pipe}, whose kernel end is a selectable channel. The task side is an ordinary
 * {@link ChannelStream}: reads and writes wait in the kernel, cancelling one loses nothing
 * (unread bytes stay in the pipe), and lines are bounded. The blocking side runs off the kernel.
 *
 * <p>Each pump thread owns its Java stream and its end of the pipe; it ends at end of stream, when
 * the task side closes its end, or when the child closes its end (for stdin: the task then gets
 * "Broken pipe" on its next write).
 */
final class ProcessPipes {

    private static final int CHUNK = 8192;

    private ProcessPipes() {}

    /** A read-only stream of what the child writes to {@code fromChild}. */
    static ChannelStream reading(InputStream fromChild, String name) throws IOException {
        Pipe pipe = Pipe.open();
        Pipe.SinkChannel sink = pipe.sink();
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try (fromChild; sink) {
                byte[] buf = new byte[CHUNK];
                for (int n = fromChild.read(buf); n >= 0; n = fromChild.read(buf)) {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        sink.write(b);
                    }
                }
            } catch (IOException e) {
                // the task closed its end, or the child's stream was closed: nothing left to carry
            }
        });
        return new ChannelStream(pipe.source(), null);
    }

    /** A write-only stream to the child's {@code toChild}; closing it closes the child's stdin. */
    static ChannelStream writing(OutputStream toChild, String name) throws IOException {
        Pipe pipe = Pipe.open();
        Pipe.SourceChannel source = pipe.source();
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try (source; toChild) {
                ByteBuffer b = ByteBuffer.allocate(CHUNK);
                while (source.read(b) >= 0) {
                    toChild.write(b.array(), 0, b.position());
                    toChild.flush();
                    b.clear();
                }
            } catch (IOException e) {
                // the child closed its stdin: closing our end makes the task's next write fail
            }
        });
        return new ChannelStream(null, pipe.sink());
    }
}
