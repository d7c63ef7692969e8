package dev.curio.actuate.endpoint;

import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.monitor.AuditLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code curio} actuator endpoint: the kernel's task table (where a Boot user sees the virtual
 * threads that Boot's {@code threaddump} leaves out, with what each waits on and its deadline),
 * one task with its stack and children, and cancelling a task or its whole group.
 *
 * <ul>
 *   <li>{@code GET /actuator/curio?state=&name=&offset=&limit=}: summary and one page of the table;</li>
 *   <li>{@code GET /actuator/curio/{id}}: one task, its stack and its children (404 when unknown or finished);</li>
 *   <li>{@code POST /actuator/curio/{id}} with JSON {@code {"reason": "...", "group": true}}: cancel
 *       (404 when unknown or finished, 409 for the kernel's own system tasks). Refused (405) unless
 *       the operator sets {@code management.endpoint.curio.access=unrestricted}: the endpoint is
 *       read-only by default.</li>
 * </ul>
 *
 * <p>Threads: operations run on request threads and never touch kernel state: reads go through a
 * {@link KernelSnapshot}; a cancel is one action posted to the kernel's inbox, which finds the
 * task and its group and requests their cancellation inside the kernel, like Curio's monitor
 * handing cancellations to a task of the kernel. Every cancel request gets one {@link CancelAudit}
 * line (logger {@value CancelAudit#LOGGER}); those refused before they reach this class (405, a
 * malformed or non-JSON body, or by Boot's mapping) get theirs from the cancel filter in front of it
 * (servlet or WebFlux). Stateless apart from its final fields.
 */
@WebEndpoint(id = CurioEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class CurioEndpoint {

    public static final String ID = "curio";

    /** The logger of the audit lines, one per cancel request. */
    public static final String AUDIT_LOGGER = CancelAudit.LOGGER;

    private final Kernel kernel;
    private final EndpointAccessResolver access;
    private final int pageSize;
    private final int maxPageSize;
    private final Duration kernelAnswerTimeout;

    public CurioEndpoint(Kernel kernel, @Nullable EndpointAccessResolver access, int pageSize, int maxPageSize,
            Duration kernelAnswerTimeout) {
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must not be null");
        }
        if (maxPageSize < 1 || pageSize < 1 || pageSize > maxPageSize) {
            throw new IllegalArgumentException("pageSize must be in 1..maxPageSize, was pageSize=" + pageSize
                    + ", maxPageSize=" + maxPageSize);
        }
        if (kernelAnswerTimeout == null || kernelAnswerTimeout.isNegative() || kernelAnswerTimeout.isZero()) {
            throw new IllegalArgumentException("kernelAnswerTimeout must be positive, was " + kernelAnswerTimeout);
        }
        this.kernel = kernel;
        this.access = access;
        this.pageSize = pageSize;
        this.maxPageSize = maxPageSize;
        this.kernelAnswerTimeout = kernelAnswerTimeout;
    }

    // ---- read: summary and task table ----

    /**
     * The summary and the task table (answer body). {@code blockingCalls} is the rule the kernel
     * applies to a task blocked in a JDK call: {@code release} (it steps out, state {@code BLOCKED})
     * or {@code hold}.
     */
    public record Tasks(String kernel, boolean running, String carrier, String blockingCalls, double uptimeSeconds,
            boolean consistent, boolean cancelAllowed, int readyQueue, int total, Map<String, Integer> states,
            Workers workers, Map<String, Object> filter, int matched, int offset, int limit, List<TaskRow> tasks) {}

    /** Use of the kernel's worker pools (null for a pool the kernel has not used or been given). */
    public record Workers(PoolUse threads, PoolUse processes) {}

    /** One worker pool: calls running now, workers alive, the maximum, calls waiting, calls completed. */
    public record PoolUse(int busy, int live, int max, Integer queued, long completed) {}

    static Workers workers(dev.curio.kernel.Kernel kernel) {
        dev.curio.workers.ThreadWorkers t = kernel.attachmentIfPresent(dev.curio.workers.ThreadWorkers.class);
        dev.curio.workers.ProcessWorkers p = kernel.attachmentIfPresent(dev.curio.workers.ProcessWorkers.class);
        return new Workers(
                t == null ? null : new PoolUse(t.busyThreads(), t.liveThreads(), t.maxThreads(), t.queuedCalls(), t.completedCalls()),
                p == null ? null : new PoolUse(p.busyProcesses(), p.liveProcesses(), p.maxProcesses(), null, p.completedCalls()));
    }

    /**
     * Summary and one page of the table, filtered by state (Curio's names, comma-separated, any
     * case) and by a part of the name (any case). A bad request is a 400 whose body says what was
     * wrong: an unknown state lists the valid ones, a limit over the maximum names the maximum.
     */
    @ReadOperation
    public WebEndpointResponse<Object> tasks(@Nullable String state, @Nullable String name, @Nullable Integer offset,
            @Nullable Integer limit) {
        try {
            return new WebEndpointResponse<>(table(state, name, offset, limit));
        } catch (BadQuery e) {
            return new WebEndpointResponse<>(e.body, WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    /**
     * The answer of {@link #tasks} for Java callers.
     *
     * @throws InvalidEndpointRequestException naming what was wrong with the query
     */
    public Tasks table(@Nullable String state, @Nullable String name, @Nullable Integer offset, @Nullable Integer limit) {
        int from = offset == null ? 0 : offset;
        int size = limit == null ? pageSize : limit;
        if (from < 0) {
            throw new BadQuery("offset must be >= 0, was " + from, Map.of());
        }
        if (size < 1 || size > maxPageSize) {
            throw new BadQuery("limit must be in 1.." + maxPageSize + " (the maximum is " + maxPageSize
                    + ", curio.actuator.max-page-size), was " + size, Map.of("maxLimit", maxPageSize));
        }
        Set<String> states = state == null || state.isBlank() ? Set.of()
                : Arrays.stream(state.split(",")).map(s -> s.trim().toUpperCase(Locale.ROOT))
                        .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(java.util.TreeSet::new));
        String part = name == null || name.isBlank() ? null : name.toLowerCase(Locale.ROOT);

        KernelSnapshot snap = KernelSnapshot.take(kernel, kernelAnswerTimeout);
        Map<String, Integer> counts = new TreeMap<>();
        for (KernelSnapshot.Entry e : snap.entries()) {
            counts.merge(e.row().state(), 1, Integer::sum);
        }
        Set<String> valid = TaskStates.valid(counts.keySet());
        List<String> unknown = states.stream().filter(s -> !valid.contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw new BadQuery("unknown state" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; valid states: " + String.join(", ", valid), Map.of("validStates", List.copyOf(valid)));
        }
        List<KernelSnapshot.Entry> matching = new ArrayList<>();
        for (KernelSnapshot.Entry e : snap.entries()) {
            if ((states.isEmpty() || states.contains(e.row().state()))
                    && (part == null || e.row().name().toLowerCase(Locale.ROOT).contains(part))) {
                matching.add(e);
            }
        }
        List<TaskRow> page = matching.stream().skip(from).limit(size).map(CurioEndpoint::withStack).toList();
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("state", states.isEmpty() ? null : List.copyOf(states));
        filter.put("name", part);
        return new Tasks(kernel.name(), kernel.isRunning(), kernel.carrierKind(),
                kernel.blockingCalls().name().toLowerCase(Locale.ROOT),
                KernelSnapshot.seconds(snap.now() - kernel.startedAt()), snap.consistent(), cancelAllowed(), snap.ready(), snap.entries().size(), counts, workers(kernel), filter, matching.size(), from, size, page);
    }

    /** A query the table cannot answer: the message, and what the 400 body adds to it. */
    static final class BadQuery extends InvalidEndpointRequestException {
        final Map<String, Object> body;

        BadQuery(String message, Map<String, Object> extra) {
            super(message, message);
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("error", message);
            b.putAll(extra);
            this.body = b;
        }
    }

    // ---- read: one task ----

    /**
     * One task (answer body): its row (with, while it is out of the kernel, what the JDK blocks it
     * in), its stack innermost first with the index of its first frame of user code
     * ({@code userFrame}, 0 when none: the frames before it are the library's and the JDK's), its
     * live children, and the last time it held the kernel past its long-block threshold (null if
     * never).
     */
    public record TaskDetail(TaskRow task, List<String> stack, int userFrame, List<TaskRow> children,
            boolean consistent, boolean cancelAllowed, LastLongBlock lastLongBlock) {}

    /**
     * A task's last long block as the kernel saw it while it lasted: how long it held the kernel
     * (so far, or in all once {@code ended}), whether the JDK blocked it (under the strict rule)
     * rather than it running, and its innermost frames then.
     */
    public record LastLongBlock(double heldSeconds, boolean ended, boolean blockedInJdk, List<String> where) {

        static LastLongBlock of(dev.curio.kernel.LongBlock b) {
            return new LastLongBlock(b.heldNanos() / 1e9, b.ended(), b.parkedInJdk(), b.where());
        }
    }

    /** One task with its stack ({@code where}) and its children; 404 when unknown or finished. */
    @ReadOperation
    public WebEndpointResponse<Object> task(@Selector long id) {
        KernelSnapshot snap = KernelSnapshot.take(kernel, kernelAnswerTimeout);
        KernelSnapshot.Entry found = null;
        List<TaskRow> children = new ArrayList<>();
        for (KernelSnapshot.Entry e : snap.entries()) {
            if (e.row().id() == id) {
                found = e;
            } else if (e.row().parentId() != null && e.row().parentId() == id) {
                children.add(withStack(e));
            }
        }
        if (found == null) {
            return notFound(id);
        }
        List<String> stack = Arrays.stream(found.task().stack()).map(StackTraceElement::toString).toList();
        String where = where(found.task());
        int user = where == null ? -1 : stack.indexOf(where);
        String blockedIn = found.row().out() ? found.task().blockedIn() : null;
        return new WebEndpointResponse<>(new TaskDetail(found.row().withStack(where, blockedIn), stack,
                Math.max(user, 0), children, snap.consistent(), cancelAllowed(),
                found.task().lastLongBlock().map(LastLongBlock::of).orElse(null)));
    }

    // ---- write: cancel ----

    /** What a cancel did (answer body). */
    public record Cancelled(long id, String name, String reason, boolean group, List<Long> cancelled) {}

    /** The request is queued in the inbox of a kernel that did not answer in time (answer body). */
    public record Requested(long id, String reason, boolean group, String detail) {}

    /**
     * Cancels task {@code id}, and with {@code group} every live member of its task group, with a
     * {@link TaskCancelled} carrying {@code reason}. 404 when the task is unknown or finished, 409
     * when it is one of the kernel's own {@linkplain Task#system() system tasks} (cancelling it would
     * stop the kernel), 400 when {@code group} is not a boolean, 202 when the kernel did not answer
     * in time (the request stays queued and takes effect once the kernel is free), 503 when the
     * kernel is not running. Each answer writes one audit line.
     */
    @WriteOperation
    public WebEndpointResponse<Object> cancel(@Selector long id, @Nullable String reason, @Nullable String group,
            SecurityContext security) {
        Audit audit = new Audit(String.valueOf(id), who(security), sanitize(reason));
        Boolean wholeGroup = group == null ? Boolean.FALSE
                : "true".equals(group) ? Boolean.TRUE : "false".equals(group) ? Boolean.FALSE : null;
        if (wholeGroup == null) {
            return audit.refuse(false, WebEndpointResponse.STATUS_BAD_REQUEST, "bad-request", id,
                    "group must be a JSON boolean (true or false), was '" + AuditLine.clean(group) + "'");
        }
        boolean g = wholeGroup;
        if (!kernel.isRunning()) {
            return audit.refuse(g, WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "refused", id,
                    "kernel '" + kernel.name() + "' is not running");
        }
        var answer = kernel.inKernel(k -> KernelCancel.cancel(k, id, audit.why, g));
        Object done;
        try {
            done = answer.get(kernelAnswerTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            audit.log(null, g, 202, "requested", null, "the kernel did not answer within "
                    + kernelAnswerTimeout.toMillis() + " ms; the request waits in its inbox");
            return new WebEndpointResponse<>(new Requested(id, audit.why, g,
                    "the kernel is busy; the cancel request waits in its inbox"), 202);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cancelling task " + id, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cancelling task " + id + " failed", e.getCause());
        }
        if (done == null) {
            return audit.refuse(g, WebEndpointResponse.STATUS_NOT_FOUND, "not-found", id, "no task " + id
                    + " in kernel '" + kernel.name() + "' (unknown or finished)");
        }
        if (done instanceof KernelCancel.SystemTask st) {
            audit.log(st.name(), g, 409, "refused", null, st.message());
            return new WebEndpointResponse<>(error(id, st.message()), 409);
        }
        Cancelled c = (Cancelled) done;
        audit.log(c.name(), g, 200, "cancelled", c.cancelled(), null);
        return new WebEndpointResponse<>(c);
    }

    /** The audit of one cancel request: who asked, for what, why. */
    private final class Audit {
        final String task;
        final String by;
        final String why;

        Audit(String task, String by, String why) {
            this.task = task;
            this.by = by;
            this.why = why;
        }

        void log(@Nullable String name, boolean group, int status, String outcome, @Nullable List<Long> tasks,
                @Nullable String detail) {
            CancelAudit.log(new CancelAudit.Line("endpoint", kernel.name(), task, name, group, by, status, outcome,
                    tasks, detail, why));
        }

        WebEndpointResponse<Object> refuse(boolean group, int status, String outcome, long id, String message) {
            log(null, group, status, outcome, null, message);
            return new WebEndpointResponse<>(error(id, message), status);
        }
    }

    // ---- helpers ----

    private boolean cancelAllowed() {
        return access != null && access.accessFor(EndpointId.of(ID), Access.READ_ONLY) == Access.UNRESTRICTED;
    }

    /**
     * The entry's row with what its task's stack says: where it is, and for a task that was out of
     * the kernel, what the JDK blocks it in (a second look at the stack, so only for those).
     */
    private static TaskRow withStack(KernelSnapshot.Entry e) {
        return e.row().withStack(where(e.task()), e.row().out() ? e.task().blockedIn() : null);
    }

    private static String where(Task<?> t) {
        StackTraceElement w = t.where();
        return w == null ? null : w.toString();
    }

    private WebEndpointResponse<Object> notFound(long id) {
        return new WebEndpointResponse<>(error(id, "no task " + id + " in kernel '" + kernel.name()
                + "' (unknown or finished)"), WebEndpointResponse.STATUS_NOT_FOUND);
    }

    private static Map<String, Object> error(long id, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("error", message);
        return m;
    }

    private static String who(SecurityContext security) {
        return CancelAudit.by(security == null ? null : security.getPrincipal());
    }

    /** The reason as it goes into the exception and the log: see {@link CancelAudit#reason}. */
    static String sanitize(@Nullable String reason) {
        return CancelAudit.reason(reason);
    }
}
