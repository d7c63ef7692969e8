package dev.curio.actuate.endpoint;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The audit line of a cancel request: one line per request, refused ones included, at INFO on the
 * logger {@value #LOGGER}, in a {@code key=value} format that log tools split without a parser
 * of their own, and that the console monitor writes too:
 *
 * <pre>
 * curio-cancel source=endpoint kernel=main task=42 name="fetch a" group=true by=alice status=200 outcome=cancelled tasks=[42,43] reason="stuck on the bank API"
 * </pre>
 *
 * <ul>
 *   <li>keys in this order, each at most once: {@code source} ({@code endpoint}, {@code monitor}),
 *       {@code kernel}, {@code task} (the id as requested), {@code name} (when the task was found),
 *       {@code group}, {@code by} (the principal, {@code anonymous} without one), {@code status}
 *       (the HTTP status, endpoint only), {@code outcome} ({@code cancelled}, {@code requested},
 *       {@code refused}, {@code not-found}, {@code bad-request}), {@code tasks} (ids cancelled),
 *       {@code detail} (why refused), {@code reason} (last);</li>
 *   <li>a value is bare when it has only letters, digits and {@code . _ : / @ - [ ] ,}; otherwise
 *       it is in double quotes, with {@code "} and {@code \} escaped by a backslash;</li>
 *   <li>every value is {@linkplain #clean sanitised} first: control characters (C0, DEL, C1 with
 *       U+0085), the line and paragraph separators U+2028 and U+2029, and the bidirectional
 *       overrides become spaces, so a value can neither break the line nor disguise it.</li>
 * </ul>
 *
 * <p>Threads: any. {@link #expect()} marks, for the request on the calling thread, that a line is
 * owed; the servlet filter in front of the endpoint writes one with the answer's status when the
 * endpoint itself did not (a request refused before it reached the operation).
 */
public final class CancelAudit {

    /** The logger of the audit lines. */
    public static final String LOGGER = "dev.curio.actuate.audit";

    private static final Log LOG = LogFactory.getLog(LOGGER);

    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._:/@\\[\\],-]+");
    private static final ThreadLocal<boolean[]> OWED = new ThreadLocal<>();

    private CancelAudit() {}

    /** One cancel request as the line reports it; null fields are left out (reason never is). */
    public record Line(String source, String kernel, String task, @Nullable String name, boolean group, String by,
            @Nullable Integer status, String outcome, @Nullable List<Long> tasks, @Nullable String detail,
            String reason) {

        /** The line's text. */
        public String format() {
            StringBuilder b = new StringBuilder("curio-cancel");
            put(b, "source", source);
            put(b, "kernel", kernel);
            put(b, "task", task);
            put(b, "name", name);
            put(b, "group", String.valueOf(group));
            put(b, "by", by);
            put(b, "status", status == null ? null : status.toString());
            put(b, "outcome", outcome);
            put(b, "tasks", tasks == null ? null
                    : tasks.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")));
            put(b, "detail", detail);
            put(b, "reason", reason);
            return b.toString();
        }
    }

    /** Writes {@code line} and marks the calling thread's request as audited. */
    public static void log(Line line) {
        boolean[] owed = OWED.get();
        if (owed != null) {
            owed[0] = false;
        }
        LOG.info(line.format());
    }

    /**
     * Marks that the request on this thread owes an audit line; the returned handle tells, once the
     * request is answered, whether it is still owed, and ends the mark.
     */
    public static Owed expect() {
        boolean[] flag = {true};
        OWED.set(flag);
        return new Owed(flag);
    }

    /** The mark of {@link #expect()}. */
    public static final class Owed implements AutoCloseable {
        private final boolean[] flag;

        private Owed(boolean[] flag) {
            this.flag = flag;
        }

        /** Whether no line was written for the request since {@link #expect()}. */
        public boolean stillOwed() {
            return flag[0];
        }

        @Override
        public void close() {
            OWED.remove();
        }
    }

    /** Reasons are cut to this length (they go into a log line and an exception message). */
    public static final int MAX_REASON = 200;

    /** What a request's reason becomes in the exception and the log line: {@link #clean}, stripped, bounded. */
    public static String reason(@Nullable String reason) {
        String s = reason == null ? "" : clean(reason).strip();
        if (s.isEmpty()) {
            return "cancelled through the curio actuator endpoint";
        }
        return s.length() > MAX_REASON ? s.substring(0, MAX_REASON) + "..." : s;
    }

    /** {@code s} without the characters that could break or disguise a log line (each becomes a space). */
    public static String clean(String s) {
        return UNSAFE.matcher(s).replaceAll(" ");
    }

    private static void put(StringBuilder b, String key, @Nullable String value) {
        if (value == null) {
            return;
        }
        String v = clean(value);
        b.append(' ').append(key).append('=');
        if (BARE.matcher(v).matches()) {
            b.append(v);
        } else {
            b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
    }
}
