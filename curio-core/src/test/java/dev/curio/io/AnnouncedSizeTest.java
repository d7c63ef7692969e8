package dev.curio.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer announcing a big message and sending little costs the receiver little: exact reads and
 * receives take memory as bytes arrive, not as they are announced. Measured as the bytes this
 * (platform) test thread allocates, which the JVM counts exactly per thread.
 */
class AnnouncedSizeTest {

    private static final int ANNOUNCED = 16 * 1024 * 1024;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A stream that gives the chunks it holds, then its end. */
    private static final class Chunks implements LineStream {
        final Deque<byte[]> chunks;

        Chunks(List<byte[]> chunks) {
            this.chunks = new ArrayDeque<>(chunks);
        }

        @Override
        public byte[] read(int maxBytes) {
            byte[] c = chunks.poll();
            if (c == null) {
                return new byte[0];
            }
            if (c.length > maxBytes) {
                chunks.push(Arrays.copyOfRange(c, maxBytes, c.length));
                return Arrays.copyOf(c, maxBytes);
            }
            return c;
        }

        @Override
        public byte[] readline() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void readExactlyOfAnAnnounced16MibThatEndsAfter10BytesTakesLittle() throws Exception {
        new Chunks(List.of(new byte[10])).readExactly(0); // warm
        long before = allocated();
        Throwable e = catchThrowable(() -> new Chunks(List.of("0123456789".getBytes())).readExactly(ANNOUNCED));
        long used = allocated() - before;
        assertThat(e).isInstanceOf(EOFException.class);
        assertThat(PartialIo.of(e).bytesRead()).asString().isEqualTo("0123456789");
        assertThat(used).isLessThan(256 * 1024); // was 16 MiB before a byte arrived
    }

    @Test
    void readExactlyGrowsToTheCountAndGivesEveryByteInOrder() throws Exception {
        byte[] all = new byte[300_001];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        List<byte[]> pieces = List.of(Arrays.copyOfRange(all, 0, 1), Arrays.copyOfRange(all, 1, 70_000),
                Arrays.copyOfRange(all, 70_000, 300_001));
        assertThat(new Chunks(pieces).readExactly(all.length)).isEqualTo(all);
        assertThat(new Chunks(pieces).readExactly(5)).isEqualTo(Arrays.copyOf(all, 5));
    }

    @Test
    void aReceiveAsking16MibWhenTenBytesCameTakesLittle() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel peer = SocketChannel.open(server.getLocalAddress());
                SocketChannel me = server.accept()) {
            peer.write(ByteBuffer.wrap("0123456789".getBytes()));
            ReceiveBuffer.receive(me, 1, false); // warm (and take the first byte)
            long before = allocated();
            byte[] got = ReceiveBuffer.receive(me, ANNOUNCED, false); // a blocking channel, outside any task
            long used = allocated() - before;
            assertThat(new String(got)).isEqualTo("123456789");
            assertThat(used).isLessThan(256 * 1024); // was a 16 MiB buffer
        }
    }
}
