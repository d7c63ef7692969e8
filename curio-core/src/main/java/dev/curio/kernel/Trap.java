package dev.curio.kernel;

import java.nio.channels.SelectableChannel;
import java.util.concurrent.CompletionStage;

/**
 * The closed set of requests a task makes of its kernel (Curio's traps). Each is handled by one
 * short case of {@link Kernel}'s trap switch; the compiler checks that every trap is handled.
 * Activations see the trap that ended a task's cycle.
 */
public sealed interface Trap {

    /** Sleep until {@code clock} (absolute) or for {@code clock} nanoseconds; 0 or less just yields. */
    record Sleep(long clock, boolean absolute) implements Trap {
        /** {@code sleep(0)}: switch to the next ready task. One shared instance. */
        public static final Sleep YIELD = new Sleep(0, false);
    }

    /** Suspend on a scheduler primitive; {@code state} becomes the task's state while it waits. */
    record SchedWait(SchedPrimitive sched, String state) implements Trap {}

    /** Make up to {@code n} tasks waiting on {@code sched} ready. Returns at once. */
    record SchedWake(SchedPrimitive sched, int n) implements Trap {}

    /** Create a task. Returns at once with the new {@link Task}. */
    record Spawn(Task<?> task) implements Trap {}

    /** Request the cancellation of {@code task} with {@code exc}. Returns at once. */
    record CancelTask(Task<?> task, Throwable exc) implements Trap {}

    /** Sleep until the future completes. */
    record FutureWait(CompletionStage<?> future) implements Trap {}

    /** Sleep until {@code channel} is readable. */
    record ReadWait(SelectableChannel channel) implements Trap {}

    /** Sleep until {@code channel} is writable. */
    record WriteWait(SelectableChannel channel) implements Trap {}

    /** Forget the kernel's registration of {@code channel}; call before closing it. */
    record IoRelease(SelectableChannel channel) implements Trap {}

    /** Install a timeout deadline; returns the previous one. */
    record SetTimeout(long deadline) implements Trap {}

    /** Restore the timeout deadline {@code previous}; returns the clock. */
    record UnsetTimeout(long previous) implements Trap {}
}
