package dev.curio.spring.boot.metrics;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.util.List;
import java.util.function.Supplier;

/**
 * Counts a kernel's tasks by state for the bounded {@code curio.tasks.state} gauges, under the
 * same names as {@link Task#state()} (so the {@code curio} endpoint's task table and the gauges
 * agree): every state curio-core's own primitives put a task in, and {@code OTHER} only for a state
 * that a library adds with its own {@code SchedPrimitive.suspend(name)}. {@code BLOCKED} tasks are
 * out of the kernel (the JDK blocks them outside a trap): counted apart, never as {@code RUNNING}.
 * System tasks (the kernel's own machinery, such as the serving task in {@code KERNEL_SERVE}) are
 * left out.
 *
 * <p>One count per scrape, without a clock: every gauge marks its state as read; a gauge that finds
 * its own mark already set is the first of a new scrape, and recounts from a snapshot of the task
 * table. Thread-safety: synchronized; scrapes run on registry threads, never on the kernel's.
 */
final class TaskStateCensus {

    /**
     * The states reported by name, grouped by where curio-core sets them; their number bounds the
     * tag's cardinality. {@code TERMINATED} tasks are not live, {@code KERNEL_SERVE} is a system
     * task's.
     */
    static final List<String> STATES = List.of(
            "INITIAL", "READY", "RUNNING",
            "BLOCKED", // out of the kernel: the JDK blocks it outside a trap
            "TIME_SLEEP", "FUTURE_WAIT", "READ_WAIT", "WRITE_WAIT", // kernel traps
            "TASK_JOIN", "TASKGROUP_WAIT", // tasks
            "EVENT_WAIT", "LOCK_ACQUIRE", "SEMA_ACQUIRE", "COND_WAIT", "RESULT_WAIT", // sync
            "QUEUE_GET", "QUEUE_PUT", "QUEUE_JOIN", // queues
            "BLOCK_IN_THREAD", "ASYNC_THREAD_WAIT", // workers
            "TLS_HANDSHAKE", "TLS_READ_WAIT", // io
            "OTHER");

    private static final int OTHER = STATES.size() - 1;

    private final Supplier<Kernel> kernel;
    private final int[] counts = new int[STATES.size()];
    private final boolean[] read = new boolean[STATES.size()];

    TaskStateCensus(Supplier<Kernel> kernel) {
        this.kernel = kernel;
        java.util.Arrays.fill(read, true);
    }

    synchronized double count(int state) {
        if (read[state]) {
            recount();
        }
        read[state] = true;
        return counts[state];
    }

    private void recount() {
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(read, false);
        Kernel k = kernel.get();
        if (k == null) {
            return;
        }
        for (Task<?> t : k.tasksSnapshot()) {
            String s = t.state();
            if (!t.system() && !"TERMINATED".equals(s)) {
                int i = STATES.indexOf(s);
                counts[i < 0 ? OTHER : i]++;
            }
        }
    }
}
