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
 * bytes left, so a hostile frame can neither run code nor allocate more than its own size;
 * anything else is a {@link MessageFormatError}. This replaces Curio's pickle on purpose: Java
 * deserialization of network input is not safe, even behind filters that must be kept exact.
 * Stateless.
 */
public final class ObjectCodec {

    /** The deepest nesting of lists and maps accepted. */
    public static final int MAX_DEPTH = 64;

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

    /**
     * Decodes one object that must fill {@code data} exactly.
     *
     * @throws MessageFormatError for anything but a valid encoding
     */
    public static Object decode(byte[] data) throws MessageFormatError {
        ByteBuffer in = ByteBuffer.wrap(data);
        Object o = decode(in, 0);
        if (in.hasRemaining()) {
            throw new MessageFormatError(in.remaining() + " bytes left over after the message");
        }
        return o;
    }

    private static Object decode(ByteBuffer in, int depth) throws MessageFormatError {
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
                return in.getInt();
            case LONG:
                need(in, 8, "a long");
                return in.getLong();
            case DOUBLE:
                need(in, 8, "a double");
                return in.getDouble();
            case STRING:
                try {
                    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes(in, "a string"))).toString();
                } catch (CharacterCodingException e) {
                    throw new MessageFormatError("a string is not valid UTF-8");
                }
            case BYTES:
                return bytes(in, "a byte array");
            case LIST: {
                int n = count(in, 1, "a list");
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(decode(in, depth + 1));
                }
                return Collections.unmodifiableList(list);
            }
            case MAP: {
                int n = count(in, 2, "a map");
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = decode(in, depth + 1);
                    if (k instanceof byte[] || k instanceof List<?> || k instanceof Map<?, ?>) {
                        throw new MessageFormatError("a map key must be null, a boolean, a number or a string");
                    }
                    if (map.containsKey(k)) {
                        throw new MessageFormatError("a map repeats the key " + k);
                    }
                    map.put(k, decode(in, depth + 1));
                }
                return Collections.unmodifiableMap(map);
            }
            default:
                throw new MessageFormatError("unknown tag " + (tag & 0xff) + " at byte " + (in.position() - 1));
        }
    }

    private static void need(ByteBuffer in, int n, String what) throws MessageFormatError {
        if (in.remaining() < n) {
            throw new MessageFormatError("message ends inside " + what);
        }
    }

    private static byte[] bytes(ByteBuffer in, String what) throws MessageFormatError {
        int n = count(in, 1, what);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** A length or count, each unit taking at least {@code minBytes} of what is left. */
    private static int count(ByteBuffer in, int minBytes, String what) throws MessageFormatError {
        need(in, 4, "the length of " + what);
        int n = in.getInt();
        if (n < 0 || (long) n * minBytes > in.remaining()) {
            throw new MessageFormatError("the length of " + what + " (" + n + ") does not fit the "
                    + in.remaining() + " bytes left");
        }
        return n;
    }
}
