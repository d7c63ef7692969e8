package dev.curio.actuate.endpoint;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The task states a table filter may name: Curio's names as this library's primitives set them
 * (the suspension reason of a waiting task, {@code READY}, {@code RUNNING}, {@code BLOCKED} for a
 * task out of the kernel while the JDK blocks it), plus any state a live task is in now (a
 * primitive of the application's own may use a name of its own). Immutable.
 */
final class TaskStates {

    /** The states this library's kernel and primitives put tasks in. */
    static final List<String> KNOWN = List.of(
            "INITIAL", "READY", "RUNNING", "BLOCKED",
            "TIME_SLEEP", "TASK_JOIN", "TASKGROUP_WAIT", "FUTURE_WAIT", "READ_WAIT", "WRITE_WAIT",
            "EVENT_WAIT", "LOCK_ACQUIRE", "SEMA_ACQUIRE", "COND_WAIT", "RESULT_WAIT",
            "QUEUE_GET", "QUEUE_PUT", "QUEUE_JOIN",
            "BLOCK_IN_THREAD", "ASYNC_THREAD_WAIT", "TLS_HANDSHAKE", "TLS_READ_WAIT", "KERNEL_SERVE");

    private TaskStates() {}

    /** The known states and {@code live} ones, sorted. */
    static Set<String> valid(Collection<String> live) {
        Set<String> all = new TreeSet<>(KNOWN);
        all.addAll(live);
        return all;
    }
}
