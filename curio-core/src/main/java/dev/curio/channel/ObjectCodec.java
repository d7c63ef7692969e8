package dev.curio.channel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safe encoding of the objects a {@link Connection} sends: a small tagged binary format for
 * exactly these types, nested at most {@link #MAX_DEPTH} deep:
 *
 * <table>
 * <caption>tags</caption>
 * <tr><th>tag</th><th>type</th><th>then</th></tr>
 * <tr><td>0</td><td>null</td><td>nothing</td></tr>
 * <tr><td>1, 2</td><td>Boolean false, true</td><td>nothing</td></tr>
 * <tr><td>3</td><td>Integer</td><td>4 bytes, big-endian</td></tr>
 * <tr><td>4</td><td>Long</td><td>8 bytes</td></tr>
 * <tr><td>5</td><td>Double</td><td>8 bytes (IEEE 754 bits)</td></tr>
 * <tr><td>6</td><td>String</td><td>length (4 bytes) and that many bytes of UTF-8</td></tr>
 * <tr><td>7</td><td>byte[]</td><td>length and the bytes</td></tr>
 * <tr><td>8</td><td>List</td><td>count and the elements</td></tr>
 * <tr><td>9</td><td>Map</td><td>count and the keys and values, alternating</td></tr>
 * </table>
 *
 * <p>Decoding creates nothing but these JDK types (unmodifiable lists and insertion-ordered maps),
 * calls no constructor of the sender's choosing, and checks every length and count against the
 * bytes left, so a hostile frame cannot run code. Nor can it make the receiver keep much more
 * than its own size: decoding a message of {@code n} bytes keeps at most {@link #heapBound(int)}
 * = {@value #HEAP_PER_BYTE}&middot;n + {@value #HEAP_ALLOWANCE} bytes of heap. Every object is
 * charged its size (as on a 64-bit JVM with compressed references) against that budget before it
 * is made, and a list or map pays for all its slots when its count is read, so a dense message (a
 * big map of small numbers to null takes some 70 bytes of heap per 6 bytes sent) is refused before
 * anything is built. Strings, byte arrays, numbers and records of them fit; anything else is a
 * {@link MessageFormatError}. This replaces Curio's pickle on purpose: Java
 * deserialization of network input is not safe, even behind filters that must be kept exact.
 * Stateless.
 */
public final class ObjectCodec {

    /** The deepest nesting of lists and maps accepted. */
    public static final int MAX_DEPTH = 64;

    /** Bytes of heap a decoded message may keep per byte of its encoding. */
    public static final int HEAP_PER_BYTE = 8;

    /** Bytes of heap any message may keep besides {@link #HEAP_PER_BYTE} per byte (small messages of any shape fit). */
    public static final int HEAP_ALLOWANCE = 64 * 1024;

    // Heap sizes charged, in bytes, as on a 64-bit JVM with compressed references (rounded up).
    private static final int REF = 4, ARRAY = 16 + 8 /* header, and alignment of the end */, BOXED_INT = 16, BOXED_LONG = 24, STRING_HEAP = 24,
            LIST_HEAP = 24 + 24 + ARRAY, // unmodifiable wrapper, ArrayList, its array (without the slots)
            MAP_HEAP = 32 + 56 + ARRAY,  // unmodifiable wrapper, LinkedHashMap, its table (without the slots)
            ENTRY = 40,                  // a LinkedHashMap entry, holding the key and value references
            KEY_LEAST = BOXED_INT;       // the least a map key other than null, false and true takes

    private static final byte NULL = 0, FALSE = 1, TRUE = 2, INT = 3, LONG = 4, DOUBLE = 5, STRING = 6,
            BYTES = 7, LIST = 8, MAP = 9;

    private ObjectCodec() {}

    /**
     * Encodes {@code obj}.
     *
     * @throws IllegalArgumentException naming the type, for an object outside the format (or nested too deep)
     */
    public static byte[] encode(Object obj) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(obj, out, 0);
        return out.toByteArray();
    }

    private static void encode(Object obj, ByteArrayOutputStream out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("object nested deeper than " + MAX_DEPTH + " lists or maps");
        }
        switch (obj) {
            case null -> out.write(NULL);
            case Boolean b -> out.write(b ? TRUE : FALSE);
            case Integer i -> {
                out.write(INT);
                out.writeBytes(ByteBuffer.allocate(4).putInt(i).array());
            }
            case Long l -> {
                out.write(LONG);
                out.writeBytes(ByteBuffer.allocate(8).putLong(l).array());
            }
            case Double d -> {
                out.write(DOUBLE);
                out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
            }
            case String s -> {
                out.write(STRING);
                lengthAndBytes(s.getBytes(StandardCharsets.UTF_8), out);
            }
            case byte[] b -> {
                out.write(BYTES);
                lengthAndBytes(b, out);
            }
            case List<?> list -> {
                out.write(LIST);
                out.writeBytes(ByteBuffer.allocate(4).putInt(list.size()).array());
                for (Object e : list) {
                    encode(e, out, depth + 1);
                }
            }
            case Map<?, ?> map -> {
                out.write(MAP);
                out.writeBytes(ByteBuffer.allocate(4).putInt(map.size()).array());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    encode(e.getKey(), out, depth + 1);
                    encode(e.getValue(), out, depth + 1);
                }
            }
            default -> throw new IllegalArgumentException("cannot send a " + obj.getClass().getName()
                    + ": a channel carries null, Boolean, Integer, Long, Double, String, byte[], List and Map only");
        }
    }

    private static void lengthAndBytes(byte[] b, ByteArrayOutputStream out) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
    }

    /** The most heap, in bytes, that decoding a message of {@code frameBytes} bytes may keep. */
    public static long heapBound(int frameBytes) {
        return (long) HEAP_PER_BYTE * frameBytes + HEAP_ALLOWANCE;
    }

    /**
     * Decodes one object that must fill {@code data} exactly.
     *
     * @throws MessageFormatError for anything but a valid encoding, or one whose objects would need
     *         more than {@link #heapBound(int)} bytes of heap
     */
    public static Object decode(byte[] data) throws MessageFormatError {
        Decoder d = new Decoder(ByteBuffer.wrap(data), heapBound(data.length));
        Object o = d.decode(0);
        if (d.in.hasRemaining()) {
            throw new MessageFormatError(d.in.remaining() + " bytes left over after the message");
        }
        return o;
    }

    /** The heap a decode charged (its estimate of what the result keeps), for tests of the bound. */
    static long heapCharged(byte[] data) throws MessageFormatError {
        Decoder d = new Decoder(ByteBuffer.wrap(data), Long.MAX_VALUE);
        d.decode(0);
        return Long.MAX_VALUE - d.left;
    }

    /** One decode: the bytes and the heap budget left. Confined to the decoding thread. */
    private static final class Decoder {
        final ByteBuffer in;
        long left;

        Decoder(ByteBuffer in, long budget) {
            this.in = in;
            this.left = budget;
        }

        /** Takes {@code bytes} of heap from the budget before they are allocated ({@code what} of {@code n}). */
        private void charge(long bytes, String what, int n) throws MessageFormatError {
            if (bytes > left) {
                throw new MessageFormatError("the message is too dense: decoding " + what + (n < 0 ? "" : " of " + n)
                        + " would keep more than "
                        + heapBound(in.capacity()) + " bytes of heap for its " + in.capacity() + " bytes (at most "
                        + HEAP_PER_BYTE + " per byte, plus " + HEAP_ALLOWANCE + ")");
            }
            left -= bytes;
        }

        Object decode(int depth) throws MessageFormatError {
            if (depth > MAX_DEPTH) {
                throw new MessageFormatError("message nested deeper than " + MAX_DEPTH);
            }
            need(in, 1, "a tag");
            byte tag = in.get();
            switch (tag) {
                case NULL:
                    return null;
                case FALSE:
                    return Boolean.FALSE;
                case TRUE:
                    return Boolean.TRUE;
                case INT:
                    need(in, 4, "an int");
                    charge(BOXED_INT, "an int", -1);
                    return in.getInt();
                case LONG:
                    need(in, 8, "a long");
                    charge(BOXED_LONG, "a long", -1);
                    return in.getLong();
                case DOUBLE:
                    need(in, 8, "a double");
                    charge(BOXED_LONG, "a double", -1);
                    return in.getDouble();
                case STRING: {
                    int n = count(in, 1, "a string");
                    charge(STRING_HEAP + ARRAY + 2L * n, "a string", n); // at worst two bytes a char
                    return string(n);
                }
                case BYTES: {
                    int n = count(in, 1, "a byte array");
                    charge(ARRAY + (long) n, "a byte array", n);
                    byte[] b = new byte[n];
                    in.get(b);
                    return b;
                }
                case LIST: {
                    int n = count(in, 1, "a list");
                    if (n == 0) {
                        return Collections.emptyList(); // shared
                    }
                    charge(LIST_HEAP + (long) REF * n, "a list", n);
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(decode(depth + 1));
                    }
                    return Collections.unmodifiableList(list);
                }
                case MAP: {
                    int n = count(in, 2, "a map");
                    if (n == 0) {
                        return Collections.emptyMap(); // shared
                    }
                    // Keys are distinct, so all but three (null, false, true) take a boxed number or a
                    // string: that least cost is charged with the map and given back as each key pays.
                    long reserved = (long) KEY_LEAST * Math.max(0, n - 3);
                    charge(MAP_HEAP + (long) REF * tableSize(n) + (long) ENTRY * n + reserved, "a map", n);
                    Map<Object, Object> map = LinkedHashMap.newLinkedHashMap(n);
                    for (int i = 0; i < n; i++) {
                        long before = left;
                        Object k = decode(depth + 1);
                        long back = Math.min(reserved, Math.min(KEY_LEAST, before - left));
                        reserved -= back;
                        left += back;
                        if (k instanceof byte[] || k instanceof List<?> || k instanceof Map<?, ?>) {
                            throw new MessageFormatError("a map key must be null, a boolean, a number or a string");
                        }
                        if (map.containsKey(k)) {
                            throw new MessageFormatError("a map repeats the key " + k);
                        }
                        map.put(k, decode(depth + 1));
                    }
                    return Collections.unmodifiableMap(map);
                }
                default:
                    throw new MessageFormatError("unknown tag " + (tag & 0xff) + " at byte " + (in.position() - 1));
            }
        }

        /** A string of the next {@code n} bytes, which must be UTF-8; ASCII (the common case) without a decoder. */
        private String string(int n) throws MessageFormatError {
            int from = in.position();
            in.position(from + n);
            byte[] a = in.array();
            for (int i = from; i < from + n; i++) {
                if (a[i] < 0) {
                    try {
                        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(a, from, n)).toString();
                    } catch (CharacterCodingException e) {
                        throw new MessageFormatError("a string is not valid UTF-8");
                    }
                }
            }
            return new String(a, from, n, StandardCharsets.US_ASCII);
        }

        /** The table a LinkedHashMap sized for {@code n} entries allocates: a power of two over n / 0.75. */
        private static long tableSize(int n) {
            long want = (long) Math.ceil(n / 0.75);
            return Long.highestOneBit(Math.max(1, want - 1)) << 1;
        }
    }

    private static void need(ByteBuffer in, int n, String what) throws MessageFormatError {
        if (in.remaining() < n) {
            throw new MessageFormatError("message ends inside " + what);
        }
    }

    /** A length or count, each unit taking at least {@code minBytes} of what is left. */
    private static int count(ByteBuffer in, int minBytes, String what) throws MessageFormatError {
        if (in.remaining() < 4) { // (messages are built only on failure: decoding allocates nothing else)
            throw new MessageFormatError("message ends inside the length of " + what);
        }
        int n = in.getInt();
        if (n < 0 || (long) n * minBytes > in.remaining()) {
            throw new MessageFormatError("the length of " + what + " (" + n + ") does not fit the "
                    + in.remaining() + " bytes left");
        }
        return n;
    }
}
