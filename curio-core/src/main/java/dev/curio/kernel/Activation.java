package dev.curio.kernel;

/**
 * A scheduler activation (Curio's {@code Activation}): a hook into the life cycle of every task.
 * All methods run on the thread that holds the kernel, in the kernel's own order, and must return
 * quickly: while one runs, no task of the kernel runs.
 *
 * <ul>
 *   <li>{@link #activate} once, when the kernel first runs;</li>
 *   <li>{@link #created} when a task is created;</li>
 *   <li>{@link #running} right before each execution cycle of a task;</li>
 *   <li>{@link #suspended} when a cycle ends at a blocking trap (the trap is given; when the task
 *       finished, it is the last trap of that final cycle, or null if it made none), always right
 *       before {@link #terminated};</li>
 *   <li>{@link #terminated} when a task has finished, before any joiner sees it;</li>
 *   <li>{@link #steppedOut} when a cycle ends because the JDK blocked the task outside a trap
 *       ({@link BlockingCalls#RELEASE}), and {@link #steppedIn} when the JDK woke it and it went
 *       back to the ready queue; its next cycle starts with {@link #running} as any other.</li>
 * </ul>
 */
public interface Activation {

    default void activate(Kernel kernel) {}

    default void created(Task<?> task) {}

    default void running(Task<?> task) {}

    default void suspended(Task<?> task, Trap trap) {}

    default void terminated(Task<?> task) {}

    /** The cycle ended with the task out of the kernel; by default a {@link #suspended} with no trap. */
    default void steppedOut(Task<?> task) {
        suspended(task, null);
    }

    default void steppedIn(Task<?> task) {}
}
