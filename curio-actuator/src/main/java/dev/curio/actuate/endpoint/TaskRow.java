package dev.curio.actuate.endpoint;

/**
 * One task as the endpoint shows it. Immutable; the values are read together inside the kernel
 * (or racily, see {@link KernelSnapshot#consistent()}), except {@code where} and {@code blockedIn},
 * read afterwards from the task's thread.
 *
 * @param id the task's id
 * @param name its name
 * @param state Curio's state name: what it waits on ({@code TIME_SLEEP}, {@code TASK_JOIN},
 *     {@code EVENT_WAIT}, {@code FUTURE_WAIT}, ...), {@code READY}, {@code RUNNING}, or
 *     {@code BLOCKED} when it is out of the kernel (the JDK blocks it outside a trap)
 * @param cycles scheduling cycles started
 * @param timeoutSeconds seconds left before its effective timeout deadline, or null when none
 * @param parentId the id of the task that spawned it, or null for a top-level task
 * @param daemon whether it is a daemon
 * @param group the readable name of its task group (the name it was given, else the name of its
 *     first live member), or null
 * @param groupId the id of its task group's first live member, which tells apart groups of one name
 * @param ageSeconds seconds since it was created
 * @param system whether it is the kernel's own machinery rather than user work
 * @param where the innermost frame of user code it is suspended in, or null
 * @param stepOuts how many times it has stepped out of the kernel
 * @param outSeconds while it is out of the kernel, for how long so far (real time, whatever the
 *     kernel's clock), else null
 * @param blockedIn while it is out of the kernel, what the JDK blocks it in, read from its stack
 *     ({@code LinkedBlockingQueue.take (called from ...)}), else null
 * @param cancelPending the simple name of the exception of a cancel or timeout that fell due and
 *     waits for the task's next trap ({@code TaskCancelled}, {@code TaskTimeout}), else null
 */
public record TaskRow(long id, String name, String state, long cycles, Double timeoutSeconds, Long parentId,
        boolean daemon, String group, Long groupId, double ageSeconds, boolean system, String where,
        long stepOuts, Double outSeconds, String blockedIn, String cancelPending) {

    /** The row with what is read from the task's stack: {@code where}, and {@code blockedIn} (null when in). */
    TaskRow withStack(String where, String blockedIn) {
        return new TaskRow(id, name, state, cycles, timeoutSeconds, parentId, daemon, group, groupId, ageSeconds,
                system, where, stepOuts, outSeconds, blockedIn, cancelPending);
    }

    /** Whether the task was out of the kernel when the row was read. */
    boolean out() {
        return outSeconds != null;
    }
}
