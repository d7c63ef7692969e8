package dev.curio.monitor;

import java.util.regex.Pattern;

/**
 * The text of a {@code curio-cancel} audit line, shared by every writer of it (the console monitor
 * here, the actuator endpoint's filters and operation), so that one logging rule and one parser
 * keep them all:
 *
 * <ul>
 *   <li>{@code curio-cancel}, then {@code key=value} pairs separated by one space, in the order
 *       given, a pair left out when its value is null;</li>
 *   <li>a value is bare when it has only letters, digits and {@code . _ : / @ - [ ] ,}; otherwise
 *       it is in double quotes, with {@code "} and {@code \} escaped by a backslash;</li>
 *   <li>every value is {@linkplain #clean sanitised} first, so no value can break the line or
 *       disguise it.</li>
 * </ul>
 * Which keys a writer gives, and in which order, is the writer's (see the README's Security
 * section). Stateless.
 */
public final class AuditLine {

    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._:/@\\[\\],-]+");

    private AuditLine() {}

    /**
     * {@code text} with every character that could break or disguise a log line replaced by a space:
     * control characters (C0, DEL, C1 including U+0085), the line and paragraph separators U+2028 and
     * U+2029, and the bidirectional overrides U+202A–U+202E and U+2066–U+2069.
     */
    public static String clean(String text) {
        return UNSAFE.matcher(text).replaceAll(" ");
    }

    /**
     * The line for {@code keysAndValues}: key, value, key, value, ...; a null value leaves its key out.
     *
     * @throws IllegalArgumentException for an odd number of arguments or a null key
     */
    public static String format(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs, got " + keysAndValues.length + " strings");
        }
        StringBuilder b = new StringBuilder("curio-cancel");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = keysAndValues[i];
            if (key == null) {
                throw new IllegalArgumentException("key " + i / 2 + " is null");
            }
            String value = keysAndValues[i + 1];
            if (value == null) {
                continue;
            }
            String v = clean(value);
            b.append(' ').append(key).append('=');
            if (BARE.matcher(v).matches()) {
                b.append(v);
            } else {
                b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.toString();
    }
}
