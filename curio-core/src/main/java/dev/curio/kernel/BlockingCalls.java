package dev.curio.kernel;

/**
 * What a task blocked by the JDK (not at a trap) does with its kernel: {@code Thread.sleep}, a
 * {@code java.io} or JDBC read, a contended {@code ReentrantLock} or {@code synchronized},
 * {@code BlockingQueue.take}. See {@link Kernel.Builder#blockingCalls} and ADR 7.
 */
public enum BlockingCalls {
    /**
     * The task steps out of the kernel while the JDK blocks it: the kernel runs its other tasks,
     * timeouts and sockets meanwhile, and the task waits in the ready queue once the JDK wakes it.
     * A task then gives the kernel up at a trap or where the JDK blocks it. Needs the kernel-owned
     * carrier; on the default carrier the kernel holds instead (logged once at WARN).
     */
    RELEASE,
    /**
     * Curio's strict rule: a task gives the kernel up only at a trap; a blocking JDK call holds
     * the kernel, and every other task of it waits, for the whole call.
     */
    HOLD
}
