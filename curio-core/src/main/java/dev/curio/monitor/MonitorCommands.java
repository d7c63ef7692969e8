package dev.curio.monitor;

import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.SystemTaskCancelRefused;
import dev.curio.kernel.Task;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The monitor's commands (Curio's {@code ps}, {@code where}, {@code cancel}, {@code parents},
 * {@code help}, {@code exit}), each writing its answer to a writer. {@code ps} adds, under a
 * task's row, a line for a task out of the kernel (what the JDK blocks it in, for how long) or
 * with a cancel or timeout pending.
 *
 * <p>Invariant: it never touches kernel state. It reads the task table through
 * {@link Kernel#tasksSnapshot()} (a racy snapshot, readable from any thread, so the monitor answers
 * even while a task holds the kernel, as Curio's does), and it changes nothing but through
 * {@link Kernel#cancelTask}, which goes through the kernel's inbox. A {@code cancel} is refused
 * unless {@link MonitorOptions#allowCancel} is set and always refused for a {@link Task#system()}
 * task; every one is audited ({@link MonitorAudit}). Stateless, so any thread may use it.
 */
final class MonitorCommands {

    /** The reason carried by the {@link TaskCancelled} of a {@code cancel} from the monitor. */
    static final String CANCEL_REASON = "cancelled from the monitor";

    static final String PROMPT = "curio > ";

    /** How long a {@code cancel} waits for the kernel's answer before saying the request is queued. */
    static final long ANSWER_WAIT_MS = 2000;

    private final Kernel kernel;
    private final boolean cancelAllowed;

    MonitorCommands(Kernel kernel, boolean cancelAllowed) {
        this.kernel = kernel;
        this.cancelAllowed = cancelAllowed;
    }

    void greet(PrintWriter out) {
        out.printf("%nCurio Monitor: %d tasks running%n", kernel.taskCount());
        out.println("Type help for commands");
    }

    /** Runs one command line of client {@code who}; returns false when the client asked to leave. */
    boolean execute(String line, PrintWriter out, String who) {
        String[] words = line.trim().split("\\s+");
        String cmd = words[0].toLowerCase(Locale.ROOT);
        try {
            switch (cmd) {
                case "" -> { }
                case "ps", "p" -> ps(out);
                case "where", "w" -> where(taskId(words), out);
                case "cancel" -> cancel(words, out, who);
                case "parents", "pa" -> parents(taskId(words), out);
                case "help", "h" -> help(out);
                case "exit", "quit", "q" -> {
                    out.println("Leaving monitor");
                    return false;
                }
                default -> out.println("Unknown command. Type help.");
            }
        } catch (IllegalArgumentException e) {
            out.println("Bad command. " + e.getMessage());
        }
        return true;
    }

    private static long taskId(String[] words) {
        if (words.length != 2) {
            throw new IllegalArgumentException(words[0] + " takes one argument, a task id");
        }
        return parseId(words[1]);
    }

    private static long parseId(String word) {
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task id must be a number, was '" + MonitorAudit.clean(word) + "'");
        }
    }

    private void help(PrintWriter out) {
        out.println("Commands:");
        out.println("         ps               : Show task table");
        out.println("         where taskid     : Show stack frames for a task");
        out.println("         cancel taskid    : Cancel an indicated task (optionally: cancel taskid reason)");
        out.println("         parents taskid   : List task parents");
        out.println("         exit             : Leave the monitor");
    }

    /**
     * The task table: id, state, cycles, remaining timeout (seconds), name; under the row of a task
     * out of the kernel or with a cancel pending, an indented line saying so ({@link #aside}).
     */
    private void ps(PrintWriter out) {
        out.printf("%-6s %-12s %-10s %-7s %-50s%n", "Task", "State", "Cycles", "Timeout", "Task");
        out.printf("%s %s %s %s %s%n", "-".repeat(6), "-".repeat(12), "-".repeat(10), "-".repeat(7), "-".repeat(50));
        long now = kernel.clock().nanos();
        for (Task<?> t : kernel.tasksSnapshot()) {
            out.printf("%-6d %-12s %-10d %-7s %-50s%n", t.id(), t.state(), t.cycles(), remaining(t.timeout(), now), t.name());
            String aside = aside(t, System.nanoTime());
            if (aside != null) {
                out.println(" ".repeat(7) + aside);
            }
        }
    }

    /**
     * What {@code ps} says under a task's row, or null: while the task is out of the kernel (the
     * JDK blocks it outside a trap, state {@code BLOCKED}), for how long in real time and what it
     * blocks in (a look at its stack, taken only for such a task); a cancel or timeout that fell
     * due and waits for its next trap. {@code nanoNow} is {@link System#nanoTime}.
     */
    private static String aside(Task<?> t, long nanoNow) {
        List<String> parts = new java.util.ArrayList<>(2);
        OptionalLong outAt = t.steppedOutAt();
        String in = outAt.isPresent() ? t.blockedIn() : null; // null too if it stepped back in meanwhile
        if (in != null) {
            parts.add(String.format(Locale.ROOT, "out of the kernel %.3f s, blocked in %s",
                    Math.max(0, nanoNow - outAt.getAsLong()) / 1e9, in));
        }
        Throwable pending = t.cancelPending();
        if (pending != null) {
            parts.add(pending.getClass().getSimpleName() + " pending until its next trap");
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** Seconds left before the deadline, cut to seven characters as Curio prints them, or None. */
    static String remaining(OptionalLong deadline, long now) {
        if (deadline.isEmpty()) {
            return "None";
        }
        String s = String.format(Locale.ROOT, "%.6f", (deadline.getAsLong() - now) / 1e9);
        return s.length() > 7 ? s.substring(0, 7) : s;
    }

    private void where(long id, PrintWriter out) {
        Task<?> t = find(id);
        out.println(t == null ? "No task " + id : t.traceback());
    }

    /**
     * {@code cancel N [reason]}: refused unless allowed, refused for a system task, else requested
     * through the kernel's inbox and answered once the kernel took it (or after
     * {@value #ANSWER_WAIT_MS} ms, saying it waits). One audit line each time.
     */
    private void cancel(String[] words, PrintWriter out, String who) {
        String task = words.length < 2 ? "" : words[1];
        String why = words.length <= 2 ? CANCEL_REASON
                : MonitorAudit.clean(String.join(" ", Arrays.copyOfRange(words, 2, words.length)));
        long id;
        try {
            if (words.length < 2) {
                throw new IllegalArgumentException("cancel takes a task id (and optionally a reason)");
            }
            id = parseId(task);
        } catch (IllegalArgumentException e) {
            MonitorAudit.log(who, kernel, task, null, "bad-request", null, e.getMessage(), why);
            throw e;
        }
        if (!cancelAllowed) {
            MonitorAudit.log(who, kernel, task, null, "refused", null, "cancelling from the monitor is not enabled", why);
            out.println("Cancel refused: this monitor is read-only (start it with MonitorOptions.allowCancel(true);"
                    + " in Spring Boot, management.endpoint.curio.access=unrestricted)");
            return;
        }
        Task<?> t = find(id);
        if (t == null) {
            MonitorAudit.log(who, kernel, task, null, "not-found", null, null, why);
            out.println("No task " + id);
            return;
        }
        if (t.system()) {
            refuseSystem(who, t, why, out);
            return;
        }
        if (!kernel.isRunning()) {
            MonitorAudit.log(who, kernel, task, t.name(), "refused", null, "kernel not running", why);
            out.println("Kernel '" + kernel.name() + "' is not running");
            return;
        }
        // Through the inbox: the kernel cancels it at its next poll (false if it finished meanwhile).
        var answer = kernel.cancelTask(id, new TaskCancelled(why));
        try {
            if (answer.get(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                MonitorAudit.log(who, kernel, task, t.name(), "cancelled", id, null, why);
                out.println("Cancelling task " + id);
            } else { // it finished meanwhile
                MonitorAudit.log(who, kernel, task, null, "not-found", null, null, why);
                out.println("No task " + id);
            }
        } catch (TimeoutException e) {
            MonitorAudit.log(who, kernel, task, t.name(), "requested", null, "the kernel did not answer within "
                    + ANSWER_WAIT_MS + " ms; the request waits in its inbox", why);
            out.println("Cancel of task " + id + " requested: the kernel is busy; it takes effect when the kernel is free");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SystemTaskCancelRefused) {
                refuseSystem(who, t, why, out);
            } else {
                MonitorAudit.log(who, kernel, task, t.name(), "refused", null, "failed: " + e.getCause(), why);
                out.println("Cancel of task " + id + " failed: " + MonitorAudit.clean(String.valueOf(e.getCause())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            MonitorAudit.log(who, kernel, task, t.name(), "requested", null, "interrupted while waiting for the kernel", why);
            out.println("Cancel of task " + id + " requested");
        }
    }

    private void refuseSystem(String who, Task<?> t, String why, PrintWriter out) {
        MonitorAudit.log(who, kernel, String.valueOf(t.id()), t.name(), "refused", null, t.cancelRefusal(), why);
        out.println("Cancel refused: task " + t.id() + " is a system task of kernel '" + kernel.name()
                + "' (cancelling it would stop the kernel)");
    }

    /** The task and its ancestors still alive, innermost first. */
    private void parents(long id, PrintWriter out) {
        Map<Long, Task<?>> byId = new HashMap<>();
        for (Task<?> t : kernel.tasksSnapshot()) {
            byId.put(t.id(), t);
        }
        Task<?> t = byId.get(id);
        if (t == null) {
            out.println("No task " + id);
        }
        while (t != null) {
            out.printf("%-6d %12s %s%n", t.id(), t.state(), t.name());
            OptionalLong parent = t.parentId();
            t = parent.isPresent() ? byId.get(parent.getAsLong()) : null;
        }
    }

    private Task<?> find(long id) {
        List<Task<?>> tasks = kernel.tasksSnapshot();
        for (Task<?> t : tasks) {
            if (t.id() == id) {
                return t;
            }
        }
        return null;
    }
}
