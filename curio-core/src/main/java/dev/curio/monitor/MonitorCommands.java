package dev.curio.monitor;

import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The monitor's commands (Curio's {@code ps}, {@code where}, {@code cancel}, {@code parents},
 * {@code help}, {@code exit}), each writing its answer to a writer.
 *
 * <p>Invariant: it never touches kernel state. It reads the task table through
 * {@link Kernel#tasksSnapshot()} (a racy snapshot, readable from any thread, so the monitor answers
 * even while a task holds the kernel, as Curio's does), and it changes nothing but through
 * {@link Kernel#cancelTask}, which goes through the kernel's inbox. Stateless, so any thread may
 * use it.
 */
final class MonitorCommands {

    /** The reason carried by the {@link TaskCancelled} of a {@code cancel} from the monitor. */
    static final String CANCEL_REASON = "cancelled from the monitor";

    static final String PROMPT = "curio > ";

    private final Kernel kernel;

    MonitorCommands(Kernel kernel) {
        this.kernel = kernel;
    }

    void greet(PrintWriter out) {
        out.printf("%nCurio Monitor: %d tasks running%n", kernel.taskCount());
        out.println("Type help for commands");
    }

    /** Runs one command line; returns false when the client asked to leave. */
    boolean execute(String line, PrintWriter out) {
        String[] words = line.trim().split("\\s+");
        String cmd = words[0].toLowerCase(Locale.ROOT);
        try {
            switch (cmd) {
                case "" -> { }
                case "ps", "p" -> ps(out);
                case "where", "w" -> where(taskId(words), out);
                case "cancel" -> cancel(taskId(words), out);
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
        try {
            return Long.parseLong(words[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task id must be a number, was '" + words[1] + "'");
        }
    }

    private void help(PrintWriter out) {
        out.println("Commands:");
        out.println("         ps               : Show task table");
        out.println("         where taskid     : Show stack frames for a task");
        out.println("         cancel taskid    : Cancel an indicated task");
        out.println("         parents taskid   : List task parents");
        out.println("         exit             : Leave the monitor");
    }

    /** The task table: id, state, cycles, remaining timeout (seconds), name. */
    private void ps(PrintWriter out) {
        out.printf("%-6s %-12s %-10s %-7s %-50s%n", "Task", "State", "Cycles", "Timeout", "Task");
        out.printf("%s %s %s %s %s%n", "-".repeat(6), "-".repeat(12), "-".repeat(10), "-".repeat(7), "-".repeat(50));
        long now = kernel.clock().nanos();
        for (Task<?> t : kernel.tasksSnapshot()) {
            out.printf("%-6d %-12s %-10d %-7s %-50s%n", t.id(), t.state(), t.cycles(), remaining(t.timeout(), now), t.name());
        }
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

    private void cancel(long id, PrintWriter out) {
        if (find(id) == null) {
            out.println("No task " + id);
            return;
        }
        out.println("Cancelling task " + id);
        // Through the inbox: the kernel cancels it at its next poll (a no-op if it finished meanwhile).
        kernel.cancelTask(id, new TaskCancelled(CANCEL_REASON));
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
