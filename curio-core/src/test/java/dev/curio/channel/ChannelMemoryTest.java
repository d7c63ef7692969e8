package dev.curio.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.io.Loopback;
import dev.curio.io.Socket;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * What a hostile peer can make a receiver keep: decoding a message of n bytes keeps at most
 * {@link ObjectCodec#heapBound(int)}, checked by the heap this (platform) test thread allocates
 * while decoding, which bounds what the result can retain. Allocation counts are exact per thread,
 * so the bounds here are generous but not timing.
 */
class ChannelMemoryTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A value and the bytes this thread allocated computing it. */
    record Measured<T>(T value, long allocated) {}

    static <T> Measured<T> allocatedBy(Callable<T> work) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T v = work.call();
        long after = THREADS.getCurrentThreadAllocatedBytes();
        assertThat(before).as("allocation counting on this JVM").isNotNegative();
        return new Measured<>(v, after - before);
    }

    /** The 16 MB message of the attack: a map of {@code n} distinct Integer keys to null (6 bytes an entry). */
    static byte[] denseMap(int n) {
        ByteBuffer b = ByteBuffer.allocate(5 + 6 * n).put((byte) 9).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) 3).putInt(i).put((byte) 0);
        }
        return b.array();
    }

    /** A list of {@code n} one-element lists [null] (6 bytes each): dense, and only found out as it decodes. */
    static byte[] listOfSingletons(int n) {
        ByteBuffer b = ByteBuffer.allocate(5 + 6 * n).put((byte) 8).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) 8).putInt(1).put((byte) 0);
        }
        return b.array();
    }

    @Test
    void aDenseMapOf16MbIsRefusedBeforeAnythingIsBuilt() throws Exception {
        // the attack: this frame once decoded into 166 MB of LinkedHashMap entries and Integers
        byte[] frame = denseMap((Connection.DEFAULT_MAX_FRAME - 5) / 6);
        ObjectCodec.decode(denseMap(10)); // load and warm the decoder's classes
        Measured<Throwable> m = allocatedBy(() -> org.assertj.core.api.Assertions.catchThrowable(() -> ObjectCodec.decode(frame)));
        assertThat(m.value()).isInstanceOf(MessageFormatError.class)
                .hasMessageStartingWith("the message is too dense: decoding a map of 2796201 would keep more than "
                        + ObjectCodec.heapBound(frame.length) + " bytes of heap for its " + frame.length + " bytes");
        assertThat(m.allocated()).isLessThan(1024 * 1024); // nothing built: only the exception (was 166 MB kept)
    }

    @Test
    void aDenseNestedMessageIsStoppedAtTheBound() throws Exception {
        byte[] frame = listOfSingletons(1_000_000); // 6 MB; its lists would take some 72 bytes per 6
        ObjectCodec.decode(listOfSingletons(10));
        Measured<Throwable> m = allocatedBy(() -> org.assertj.core.api.Assertions.catchThrowable(() -> ObjectCodec.decode(frame)));
        assertThat(m.value()).isInstanceOf(MessageFormatError.class).hasMessageContaining("too dense");
        assertThat(m.allocated()).isLessThanOrEqualTo(ObjectCodec.heapBound(frame.length));
    }

    /** Ordinary messages: what each decode allocates stays under the bound, and the result is the message. */
    @Test
    void ordinaryMessagesFitAndWhatTheyAllocateIsUnderTheBound() throws Exception {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", 100_000 + i);
            r.put("name", "user" + i);
            r.put("email", "user" + i + "@example.org");
            r.put("score", i * 0.5);
            r.put("active", i % 2 == 0);
            records.add(r);
        }
        byte[] blob = new byte[8 * 1024 * 1024];
        Arrays.fill(blob, (byte) 7);
        List<Object> numbers = new ArrayList<>();
        for (long i = 0; i < 500_000; i++) {
            numbers.add(i % 3 == 0 ? (Object) (int) i : i % 3 == 1 ? (Object) (i << 40) : (Object) (i / 7.0));
        }
        List<Object> messages = List.of(records, "é".repeat(2_000_000) + "x", blob, numbers,
                List.of(Map.of(), List.of(), "", List.of(List.of(List.of(1)))));
        for (Object message : messages) {
            byte[] frame = ObjectCodec.encode(message);
            ObjectCodec.decode(frame); // warm
            Measured<Object> m = allocatedBy(() -> ObjectCodec.decode(frame));
            assertThat(m.value() instanceof byte[] b ? Arrays.equals(b, blob) : m.value().equals(message)).isTrue();
            assertThat(m.allocated()).as("allocated decoding %d bytes", frame.length)
                    .isLessThanOrEqualTo(ObjectCodec.heapBound(frame.length));
            assertThat(ObjectCodec.heapCharged(frame)).isLessThanOrEqualTo(ObjectCodec.heapBound(frame.length));
        }
    }

    @Test
    void theBoundIsEightBytesPerByteAndAnAllowanceSoSmallMessagesOfAnyShapeFit() throws Exception {
        assertThat(ObjectCodec.heapBound(0)).isEqualTo(ObjectCodec.HEAP_ALLOWANCE);
        assertThat(ObjectCodec.heapBound(Connection.DEFAULT_MAX_FRAME))
                .isEqualTo(8L * Connection.DEFAULT_MAX_FRAME + 64 * 1024);
        assertThat((Map<?, ?>) ObjectCodec.decode(denseMap(1000))).hasSize(1000); // small: fits the allowance
        assertThat(ObjectCodec.heapCharged(denseMap(1000))).isGreaterThan(8 * 6 * 1000); // though denser than 8x
        assertThatThrownBy(() -> ObjectCodec.decode(denseMap(100_000))).isInstanceOf(MessageFormatError.class)
                .hasMessageContaining("too dense");
    }

    @Test
    void aFrameOfTheMaximumSizeArrivingInPiecesIsReceivedWhole() {
        // the receiver grows its buffer as bytes arrive instead of taking the announced 16 MiB at once
        byte[] payload = new byte[Connection.DEFAULT_MAX_FRAME];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        byte[] got = TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            try (Connection c = new Connection(p[1].asStream()); Socket raw = p[0]) {
                var sender = Curio.spawn(() -> {
                    raw.sendall(ByteBuffer.allocate(4).putInt(payload.length).array());
                    for (int off = 0; off < payload.length; off += 1_000_003) {
                        raw.sendall(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 1_000_003)));
                        Curio.sleep(0);
                    }
                });
                byte[] b = c.recvBytes();
                sender.await();
                return b;
            }
        });
        assertThat(Arrays.equals(got, payload)).isTrue();
    }
}
