package dev.curio.actuate.endpoint;

import dev.curio.monitor.AuditLine;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 *   <li>values quoted and sanitised by core's {@link AuditLine}, the one formatter of every writer
 *       of the line (the console monitor's too): bare when only letters, digits and
 *       {@code . _ : / @ - [ ] ,}, else in double quotes; control characters, line and paragraph
 *       separators and bidirectional overrides become spaces.</li>
 * </ul>
 *
 * <p>Threads: any. A filter in front of the endpoint answers and audits the refusals it decides
 * itself (400, 405, 415); each cancel request it passes on is marked as owing a line and, once
 * answered, gets one with the answer's status when the endpoint itself wrote none (refused by
 * Boot's mapping before it reached the operation, a 406 say). The mark is an {@link Owed}:
 * <ul>
 *   <li>servlet stack: the operation runs on the filter's thread, so {@link #expect()} binds the
 *       mark to that thread and the endpoint's {@link #log} settles it;</li>
 *   <li>WebFlux: the operation runs on another thread (Boot hands blocking operations to
 *       Reactor's bounded elastic scheduler), so {@link #expectAcrossThreads()} registers the mark
 *       under a random key that the filter adds to the request as the argument
 *       {@value #MARK_ARGUMENT}; {@link CancelAuditAdvisor}, around the operation, finds it with
 *       {@link #enter} and binds it to the operation's thread.</li>
 * </ul>
 * State of a mark: {@code OWED -> RUNNING} (the operation started) {@code -> SETTLED} (a line was
 * written), or {@code RUNNING -> OWED} (the operation ended without a line: it threw), or
 * {@code OWED -> SETTLED} (the filter {@linkplain Owed#claim claimed} the line). Exactly one writer
 * settles a mark, so a request gets one line.
 */
public final class CancelAudit {

    /** The logger of the audit lines. */
    public static final String LOGGER = "dev.curio.actuate.audit";

    private static final Log LOG = LogFactory.getLog(LOGGER);

    /** The request argument that carries a mark's key to the operation (WebFlux only). */
    public static final String MARK_ARGUMENT = "curio.audit.mark";

    /** The mark of the request whose operation runs on this thread, if any. */
    private static final ThreadLocal<Owed> CURRENT = new ThreadLocal<>();

    /** Marks waiting for their operation on another thread, by key. */
    private static final Map<String, Owed> ACROSS = new ConcurrentHashMap<>();

    private CancelAudit() {}

    /** One cancel request as the line reports it; null fields are left out (reason never is). */
    public record Line(String source, String kernel, String task, @Nullable String name, boolean group, String by,
            @Nullable Integer status, String outcome, @Nullable List<Long> tasks, @Nullable String detail,
            String reason) {

        /** The line's text. */
        public String format() {
            return AuditLine.format("source", source, "kernel", kernel, "task", task, "name", name,
                    "group", String.valueOf(group), "by", by, "status", status == null ? null : status.toString(),
                    "outcome", outcome, "tasks", tasks == null ? null
                            : tasks.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")),
                    "detail", detail, "reason", reason);
        }
    }

    /** Writes {@code line} and settles the mark of the request on the calling thread, if any. */
    public static void log(Line line) {
        Owed owed = CURRENT.get();
        if (owed != null) {
            owed.state.set(Owed.SETTLED);
        }
        LOG.info(line.format());
    }

    /**
     * Marks that the request on this thread owes an audit line, for an operation that runs on this
     * thread (servlet stack); the returned handle tells, once the request is answered, whether it
     * is still owed, and ends the mark.
     */
    public static Owed expect() {
        Owed owed = new Owed(null);
        CURRENT.set(owed);
        return owed;
    }

    /** Whether a request on this thread is marked by {@link #expect()} (the servlet stack's cancel filter passed it on). */
    public static boolean expectedHere() {
        return CURRENT.get() != null;
    }

    /**
     * Marks that a request owes an audit line, for an operation that runs on another thread
     * (WebFlux): the request must carry {@link Owed#key()} as the argument {@value #MARK_ARGUMENT}.
     */
    public static Owed expectAcrossThreads() {
        Owed owed = new Owed(UUID.randomUUID().toString());
        ACROSS.put(owed.key, owed);
        return owed;
    }

    /**
     * Binds to the calling thread the mark registered under {@code key} (the value of the argument
     * {@value #MARK_ARGUMENT}), for the operation about to run on it; nothing when there is none.
     */
    public static Entered enter(@Nullable Object key) {
        Owed owed = key instanceof String k ? ACROSS.get(k) : null;
        if (owed == null) {
            return new Entered(false, null);
        }
        if (!owed.state.compareAndSet(Owed.OWED, Owed.RUNNING)) {
            return new Entered(true, null); // the filter already wrote the line: the client went away
        }
        Owed previous = CURRENT.get();
        CURRENT.set(owed);
        return new Entered(false, () -> {
            CURRENT.set(previous);
            owed.state.compareAndSet(Owed.RUNNING, Owed.OWED); // no line yet (it threw): the filter writes it
        });
    }

    /** The mark of {@link #expect()} or {@link #expectAcrossThreads()}. */
    public static final class Owed implements AutoCloseable {
        static final int OWED = 0;
        static final int RUNNING = 1;
        static final int SETTLED = 2;

        /** Written by the filter's thread and the operation's; see the class comment. */
        final AtomicInteger state = new AtomicInteger(OWED);
        private final @Nullable String key;

        private Owed(@Nullable String key) {
            this.key = key;
        }

        /** The key the request carries as {@value #MARK_ARGUMENT} (marks of {@link #expectAcrossThreads()}). */
        public String key() {
            if (key == null) {
                throw new IllegalStateException("a mark of expect() is bound to its thread and has no key");
            }
            return key;
        }

        /** Whether no line was written for the request since the mark, and no operation is writing one. */
        public boolean stillOwed() {
            return state.get() == OWED;
        }

        /**
         * Takes the line on the caller: true when it was still owed, and from then on no operation
         * of the request runs ({@link #enter} reports it abandoned) and no other claim succeeds.
         */
        public boolean claim() {
            return state.compareAndSet(OWED, SETTLED);
        }

        @Override
        public void close() {
            if (key == null) {
                CURRENT.remove();
            } else {
                ACROSS.remove(key, this);
            }
        }
    }

    /** What {@link #enter} bound; closing it unbinds the mark. */
    public static final class Entered implements AutoCloseable {
        private final boolean abandoned;
        /** Unbinds the mark; null when none was bound. */
        private final @Nullable Runnable unbind;

        private Entered(boolean abandoned, @Nullable Runnable unbind) {
            this.abandoned = abandoned;
            this.unbind = unbind;
        }

        /** Whether a mark was bound. */
        public boolean bound() {
            return unbind != null;
        }

        /** Whether the request's line was already written because its client went away: do not run the operation. */
        public boolean abandoned() {
            return abandoned;
        }

        @Override
        public void close() {
            if (unbind != null) {
                unbind.run();
            }
        }
    }

    /** Reasons are cut to this length (they go into a log line and an exception message). */
    public static final int MAX_REASON = 200;

    /** What a request's reason becomes in the exception and the log line: {@link AuditLine#clean}, stripped, bounded. */
    public static String reason(@Nullable String reason) {
        String s = reason == null ? "" : AuditLine.clean(reason).strip();
        if (s.isEmpty()) {
            return "cancelled through the curio actuator endpoint";
        }
        return s.length() > MAX_REASON ? s.substring(0, MAX_REASON) + "..." : s;
    }

    /** Task ids are cut to this length in a line and a refusal's body (a whole number has at most 20 digits). */
    public static final int MAX_TASK = 32;

    /**
     * The line's {@code task}, the id as requested: {@link AuditLine#clean}, cut to
     * {@value #MAX_TASK} characters (an id of thousands of digits is refused, and named cut short).
     */
    public static String task(String task) {
        String s = AuditLine.clean(task);
        return s.length() > MAX_TASK ? s.substring(0, MAX_TASK) + "..." : s;
    }

    /** The line's {@code by} for a request's principal: its name, sanitised, or {@code anonymous}. */
    public static String by(@Nullable Principal principal) {
        return principal == null ? "anonymous" : AuditLine.clean(principal.getName());
    }
}
