package dev.curio.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TestKernels;
import dev.curio.io.Loopback;
import dev.curio.io.Socket;
import dev.curio.kernel.Task;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random input against the decoder and a live connection (seeded, so every run is the same):
 * nothing but a decoded object or a documented exception may come out.
 */
class ChannelFuzzTest {

    /** The documented outcomes of a receive; anything else fails the test. */
    static String outcome(Throwable t) {
        if (t instanceof MessageFormatError) {
            return "malformed";
        }
        if (t instanceof ChannelProtocolError) {
            return "protocol";
        }
        if (t instanceof EOFException) {
            return "eof";
        }
        throw new AssertionError("undocumented exception from a receive", t);
    }

    // Random bytes and mutated valid encodings: a value or MessageFormatError, never anything else.
    @Test
    void decoderTakesAnyBytes() {
        Random r = new Random(6);
        int decoded = 0;
        int malformed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                if (b.length > 0) {
                    b[0] = (byte) r.nextInt(11); // mostly real tags, to get past the first byte
                }
            } else {
                b = ObjectCodec.encode(randomObject(r, 0));
                int cuts = 1 + r.nextInt(3);
                for (int k = 0; k < cuts && b.length > 0; k++) {
                    switch (r.nextInt(3)) {
                        case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                        case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                        default -> b = Arrays.copyOf(b, b.length + 1 + r.nextInt(4));
                    }
                }
            }
            try {
                ObjectCodec.decode(b);
                decoded++;
            } catch (Throwable t) {
                assertThat(outcome(t)).isEqualTo("malformed");
                malformed++;
            }
        }
        assertThat(decoded).isPositive();
        assertThat(malformed).isPositive();
        // valid encodings round-trip
        for (int i = 0; i < 2_000; i++) {
            Object o = randomObject(r, 0);
            assertThat(ObjectCodec.encode(uncheckedDecode(ObjectCodec.encode(o)))).isEqualTo(ObjectCodec.encode(o));
        }
    }

    // Hostile nesting and counts cannot exhaust the stack or the heap.
    @Test
    void hostileShapes() {
        byte[] deep = new byte[10_000];
        Arrays.fill(deep, (byte) 8); // list tags with counts made of list tags
        for (byte[] b : List.of(deep, ByteBuffer.allocate(5).put((byte) 8).putInt(Integer.MAX_VALUE).array(),
                ByteBuffer.allocate(5).put((byte) 6).putInt(-1).array(),
                ByteBuffer.allocate(6).put((byte) 9).putInt(1).put((byte) 8).array())) {
            try {
                ObjectCodec.decode(b);
                throw new AssertionError("decoded a hostile frame");
            } catch (Throwable t) {
                assertThat(outcome(t)).isEqualTo("malformed");
            }
        }
    }

    // A few thousand random frames on one live connection: whole frames with random payloads
    // keep the connection in step (a value or MessageFormatError each), and the stream ends
    // with a documented error once the frames themselves are bad.
    @Test
    void connectionTakesRandomFrames() {
        List<String> outcomes = TestKernels.run(() -> {
            Socket[] p = Loopback.pair();
            Random r = new Random(66);
            int frames = 3_000;
            try (Connection c = new Connection(p[1].asStream()).maxFrame(4096); Socket raw = p[0]) {
                Task<?> sender = Curio.spawn(() -> {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    for (int i = 0; i < frames; i++) {
                        byte[] payload = i % 3 == 0 ? ObjectCodec.encode(randomObject(r, 0)) : new byte[r.nextInt(64)];
                        if (i % 3 != 0) {
                            r.nextBytes(payload);
                        }
                        all.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
                        all.writeBytes(payload);
                    }
                    all.writeBytes(ByteBuffer.allocate(4).putInt(r.nextInt()).array()); // a random header
                    raw.sendall(all.toByteArray());
                    raw.close();
                });
                List<String> seen = new ArrayList<>();
                int values = 0;
                int malformed = 0;
                while (true) {
                    try {
                        c.recv();
                        values++;
                    } catch (Throwable t) {
                        String o = outcome(t);
                        if (o.equals("malformed")) {
                            malformed++;
                            continue;
                        }
                        seen.add(o);
                        break;
                    }
                }
                sender.join();
                seen.add(0, "values+malformed " + (values + malformed));
                seen.add(1, "some of each " + (values >= frames / 3 && malformed > 0));
                return seen;
            }
        });
        // The random header after the frames is a refused length or, if it happens to fit, a
        // frame cut short by the end of the stream.
        assertThat(outcomes.subList(0, 2)).containsExactly("values+malformed 3000", "some of each true");
        assertThat(outcomes.get(2)).isIn("protocol", "eof");
    }

    static Object randomObject(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 7 : 9);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextInt();
            case 3 -> r.nextLong();
            case 4 -> r.nextDouble();
            case 5 -> "s" + r.nextInt(1000) + (r.nextBoolean() ? "\u00e9" : "");
            case 6 -> {
                byte[] b = new byte[r.nextInt(8)];
                r.nextBytes(b);
                yield b;
            }
            case 7 -> {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(randomObject(r, depth + 1));
                }
                yield l;
            }
            default -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put("k" + i, randomObject(r, depth + 1));
                }
                yield m;
            }
        };
    }

    static Object uncheckedDecode(byte[] b) {
        try {
            return ObjectCodec.decode(b);
        } catch (MessageFormatError e) {
            throw new AssertionError(e);
        }
    }
}
