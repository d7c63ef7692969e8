package dev.curio.monitor;

import dev.curio.kernel.Kernel;

/**
 * The audit line of a monitor {@code cancel}, one per request (refused and malformed ones too), in
 * the actuator endpoint's format and on the same logger, so one logging rule and one parser keep
 * both:
 *
 * <pre>
 * curio-cancel source=monitor kernel=app task=42 name=fetch group=false by=127.0.0.1:51234 outcome=cancelled tasks=[42] reason="stuck"
 * </pre>
 *
 * <ul>
 *   <li>keys in this order, each at most once: {@code source} (always {@code monitor}), {@code kernel},
 *       {@code task} (the id as requested), {@code name} (when the task was found), {@code group}
 *       (always {@code false}: the monitor cancels one task), {@code by} (the client's address),
 *       {@code outcome} ({@code cancelled}, {@code requested}, {@code refused}, {@code not-found},
 *       {@code bad-request}), {@code tasks} (ids cancelled), {@code detail} (why refused),
 *       {@code reason} (last); no {@code status}, which is the endpoint's HTTP status;</li>
 *   <li>values quoted and sanitised as {@link AuditLine} does for every writer of the line, and
 *       {@linkplain #clean stripped and cut} first.</li>
 * </ul>
 * Stateless.
 */
final class MonitorAudit {

    /** Reasons and names are cut to this length. */
    static final int MAX_TEXT = 200;

    private static final System.Logger LOG = System.getLogger(Monitor.AUDIT_LOGGER);

    private MonitorAudit() {}

    /**
     * {@code text} fit for one log line: control characters (C0, DEL, C1 including U+0085), the
     * Unicode line and paragraph separators (U+2028, U+2029) and the bidirectional overrides
     * (U+202A–U+202E, U+2066–U+2069) become spaces; stripped and cut to {@value #MAX_TEXT} characters.
     */
    static String clean(String text) {
        String s = AuditLine.clean(text).strip();
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "..." : s;
    }

    /**
     * Writes one line. {@code name}, {@code cancelled} and {@code detail} may be null (left out).
     */
    static void log(String by, Kernel kernel, String task, String name, String outcome, Long cancelled, String detail,
            String reason) {
        LOG.log(System.Logger.Level.INFO, line(by, kernel, task, name, outcome, cancelled, detail, reason));
    }

    static String line(String by, Kernel kernel, String task, String name, String outcome, Long cancelled,
            String detail, String reason) {
        return AuditLine.format("source", "monitor", "kernel", text(kernel.name()), "task", text(task), "name", text(name),
                "group", "false", "by", text(by), "outcome", outcome, "tasks", cancelled == null ? null : "[" + cancelled + "]",
                "detail", text(detail), "reason", text(reason));
    }

    private static String text(String value) {
        return value == null ? null : clean(value);
    }
}
