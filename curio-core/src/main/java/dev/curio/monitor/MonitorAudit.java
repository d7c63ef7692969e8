package dev.curio.monitor;

import dev.curio.kernel.Kernel;

/**
 * The audit line of a monitor {@code cancel}, one per request (refused ones too), in the format
 * of the actuator endpoint's audit lines and on the same logger, so one logging rule keeps both:
 * {@code curio cancel by <who>: kernel '<k>' task <id> '<name>', reason '<why>': <outcome>}.
 * Text from clients or tasks goes in only through {@link #clean}. Stateless.
 */
final class MonitorAudit {

    /** Reasons and names are cut to this length. */
    static final int MAX_TEXT = 200;

    private static final System.Logger LOG = System.getLogger(Monitor.AUDIT_LOGGER);

    private MonitorAudit() {}

    /**
     * {@code text} fit for one log line: control characters (C0, DEL, C1 including U+0085) and the
     * Unicode line and paragraph separators (U+2028, U+2029) become spaces, and it is cut to
     * {@value #MAX_TEXT} characters.
     */
    static String clean(String text) {
        String s = text.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", " ").strip();
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "..." : s;
    }

    static void log(String who, Kernel kernel, long id, String name, String why, String outcome) {
        LOG.log(System.Logger.Level.INFO, line(who, kernel, id, name, why, outcome));
    }

    static String line(String who, Kernel kernel, long id, String name, String why, String outcome) {
        return "curio cancel by " + who + ": kernel '" + kernel.name() + "' task " + id
                + (name == null ? "" : " '" + clean(name) + "'") + ", reason '" + why + "': " + outcome;
    }
}
