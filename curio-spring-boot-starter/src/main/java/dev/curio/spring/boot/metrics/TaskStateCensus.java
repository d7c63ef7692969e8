package dev.curio.spring.boot.metrics;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.util.List;
import java.util.function.Supplier;

/**
 * Counts a kernel's tasks by state for the bounded {@code curio.tasks.state} gauges: Curio's state
 * names for the kernel's own primitives, and {@code OTHER} for any state a library adds. System
 * tasks (the kernel's own machinery, such as the serving task in {@code KERNEL_SERVE}) are left
 * out.
 *
 * <p>One count per scrape, without a clock: every gauge marks its state as read; a gauge that finds
 * its own mark already set is the first of a new scrape, and recounts from a snapshot of the task
 * table. Thread-safety: synchronized; scrapes run on registry threads, never on the kernel's.
 */
final class TaskStateCensus {

    /** The states reported by name; their number bounds the tag's cardinality. */
    static final List<String> STATES = List.of(
            "READY", "RUNNING", "TIME_SLEEP", "TASK_JOIN", "TASKGROUP_WAIT", "EVENT_WAIT",
            "FUTURE_WAIT", "READ_WAIT", "WRITE_WAIT", "OTHER");

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
