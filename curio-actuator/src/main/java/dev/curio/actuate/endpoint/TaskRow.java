package dev.curio.actuate.endpoint;

/**
 * One task as the endpoint shows it. Immutable; the values are read together inside the kernel
 * (or racily, see {@link KernelSnapshot#consistent()}), except {@code where}, read afterwards from
 * the task's thread.
 *
 * @param id the task's id
 * @param name its name
 * @param state Curio's state name: what it waits on ({@code TIME_SLEEP}, {@code TASK_JOIN},
 *     {@code EVENT_WAIT}, {@code FUTURE_WAIT}, ...), {@code READY} or {@code RUNNING}
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
 */
public record TaskRow(long id, String name, String state, long cycles, Double timeoutSeconds, Long parentId,
        boolean daemon, String group, Long groupId, double ageSeconds, boolean system, String where) {

    TaskRow withWhere(String where) {
        return new TaskRow(id, name, state, cycles, timeoutSeconds, parentId, daemon, group, groupId, ageSeconds,
                system, where);
    }
}
