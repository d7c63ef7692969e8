package dev.curio;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.Trap;
import dev.curio.task.Cancellation;
import dev.curio.task.TaskGroup;
import dev.curio.time.Durations;
import dev.curio.time.Timeout;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * The entry points of Curio for the JVM, named after Curio's module-level functions. Everything
 * but {@link #run} must be called from inside a task; the blocking ones are traps, the only points
 * where the kernel switches tasks and where cancellation and timeouts are delivered.
 *
 * <p>The types met first live in three packages: this one (the facade and the exceptions),
 * {@code dev.curio.kernel} ({@link Task}, {@link Kernel}) and {@code dev.curio.task}
 * ({@link TaskGroup}). {@link #spawn} and {@link #taskGroup} return them, so with {@code var} a
 * program needs no import but this class:
 *
 * <pre>{@code
 * import dev.curio.Curio;
 * import dev.curio.kernel.Task;        // to name the types: Task<T>
 * import dev.curio.task.TaskGroup;     // TaskGroup, TaskGroup.Wait
 * }</pre>
 */
public final class Curio {

    private Curio() {}

    // ---- running ----

    /**
     * Runs {@code main} in a new kernel, shuts the kernel down (cancelling what is left) and returns
     * the result. As in Curio, setting the environment variable {@code CURIOMONITOR} (or the system
     * property {@code curio.monitor=true}) starts the console monitor on 127.0.0.1 for the run, on
     * port 48802 or {@code curio.monitor.port} (0: any free port, see {@code Monitor.of(kernel)}).
     */
    public static <T> T run(Callable<T> main) {
        return run(Kernel.builder(), main);
    }

    /** {@link #run(Callable)} for a body without a result. */
    public static void run(CheckedRunnable main) {
        run(asCallable(main));
    }

    /** {@link #run(Callable)} on a kernel built from {@code kernel}, which is shut down afterwards. */
    public static <T> T run(Kernel.Builder kernel, Callable<T> main) {
        return run(kernel, main, System.getenv("CURIOMONITOR") != null || Boolean.getBoolean("curio.monitor"));
    }

    /** {@link #run(Kernel.Builder, Callable)} with the console monitor ({@code withMonitor}, Curio's {@code with_monitor}). */
    public static <T> T run(Kernel.Builder kernel, Callable<T> main, boolean withMonitor) {
        checkBody(main);
        Kernel.checkNotInTask();
        try (Kernel k = kernel.build()) {
            if (withMonitor) {
                dev.curio.monitor.Monitor.start(k, Integer.getInteger("curio.monitor.port", dev.curio.monitor.Monitor.DEFAULT_PORT));
            }
            return k.run(main);
        }
    }

    // ---- tasks ----

    /** Spawns a task running {@code body}, a child of the calling task. */
    public static <T> Task<T> spawn(Callable<T> body) {
        return kernel("spawn").spawn(null, checkBody(body), false);
    }

    public static Task<Void> spawn(CheckedRunnable body) {
        return kernel("spawn").spawn(null, asCallable(body), false);
    }

    public static <T> Task<T> spawn(String name, Callable<T> body) {
        return kernel("spawn").spawn(name, checkBody(body), false);
    }

    public static Task<Void> spawn(String name, CheckedRunnable body) {
        return kernel("spawn").spawn(name, asCallable(body), false);
    }

    /** Spawns a daemon task: never joined, its result disregarded, cancelled at shutdown. */
    public static <T> Task<T> spawnDaemon(String name, Callable<T> body) {
        return kernel("spawnDaemon").spawn(name, checkBody(body), true);
    }

    public static Task<Void> spawnDaemon(String name, CheckedRunnable body) {
        return kernel("spawnDaemon").spawn(name, asCallable(body), true);
    }

    // ---- task groups ----

    /** A new group that waits for all its tasks (Curio's {@code TaskGroup()}); {@code new TaskGroup()}. */
    public static TaskGroup taskGroup() {
        return new TaskGroup();
    }

    /** A new group with the given wait policy (Curio's {@code TaskGroup(wait=...)}). */
    public static TaskGroup taskGroup(TaskGroup.Wait wait) {
        return new TaskGroup(wait);
    }

    /**
     * Runs {@code body} with a new group and joins it (Curio's {@code async with TaskGroup() as g:});
     * see {@link TaskGroup#run}. Returns the joined group.
     */
    public static <E extends Exception> TaskGroup taskGroup(TaskGroup.Wait wait, TaskGroup.Body<E> body) throws E {
        return TaskGroup.run(wait, body);
    }

    /** The calling task. */
    public static Task<?> currentTask() {
        Task<?> t = Kernel.currentTask();
        if (t == null) {
            throw new AsyncOnlyError("currentTask must be called from a Curio task");
        }
        return t;
    }

    // ---- time ----

    /**
     * Sleeps for {@code d}; {@code Duration.ZERO} switches to the next ready task, and so does a
     * negative duration, as in Curio. Returns the kernel clock.
     */
    public static long sleep(Duration d) {
        long nanos = Durations.sleepNanos(d, "sleep duration");
        return (Long) Kernel.trap(nanos == 0 ? Trap.Sleep.YIELD : new Trap.Sleep(nanos, false));
    }

    /** Sleeps for {@code seconds} (Curio's float seconds); 0 or less yields. Returns the kernel clock. */
    public static long sleep(double seconds) {
        long nanos = Durations.sleepSecondsToNanos(seconds, "sleep seconds");
        return (Long) Kernel.trap(nanos == 0 ? Trap.Sleep.YIELD : new Trap.Sleep(nanos, false));
    }

    /** Sleeps until the kernel clock reaches {@code clock} (nanoseconds). Returns the kernel clock. */
    public static long wakeAt(long clock) {
        return (Long) Kernel.trap(new Trap.Sleep(clock, true));
    }

    /** The kernel's clock, in nanoseconds. Never blocks. */
    public static long clock() {
        return kernel("clock").clock().nanos();
    }

    // ---- timeouts ----

    /**
     * Runs {@code body}; if {@code d} elapses first, its blocking operation raises {@link TaskTimeout}.
     * A null {@code d} sets no timeout of its own (Curio's {@code timeout_after(None)}): enclosing
     * timeouts still apply.
     */
    public static <T, E extends Exception> T timeoutAfter(Duration d, Block<T, E> body) throws E {
        return Timeout.after(d).call(body);
    }

    public static <E extends Exception> void timeoutAfter(Duration d, VoidBlock<E> body) throws E {
        Timeout.after(d).call(checkBody(body).asBlock());
    }

    public static <T, E extends Exception> T timeoutAfter(double seconds, Block<T, E> body) throws E {
        return Timeout.after(Duration.ofNanos(Durations.secondsToNanos(seconds, "timeout seconds"))).call(body);
    }

    /** As {@link #timeoutAfter(Duration, Block)} with an absolute deadline on the kernel clock. */
    public static <T, E extends Exception> T timeoutAt(long clock, Block<T, E> body) throws E {
        return Timeout.at(clock).call(body);
    }

    /** Runs {@code body}; if {@code d} elapses first, abandons it and returns null. A null {@code d}: no timeout of its own. */
    public static <T, E extends Exception> T ignoreAfter(Duration d, Block<T, E> body) throws E {
        return Timeout.ignoreAfter(d).call(body);
    }

    /** Runs {@code body}; if {@code d} elapses first, abandons it and returns {@code timeoutResult}. */
    public static <T, E extends Exception> T ignoreAfter(Duration d, Block<T, E> body, T timeoutResult) throws E {
        return Timeout.ignoreAfter(d).call(body, timeoutResult);
    }

    /** Runs {@code body} for at most {@code d}; returns whether it was cut short (Curio's {@code expired}). */
    public static <E extends Exception> boolean ignoreAfter(Duration d, VoidBlock<E> body) throws E {
        Timeout t = Timeout.ignoreAfter(d);
        t.call(checkBody(body).asBlock());
        return t.expired();
    }

    public static <T, E extends Exception> T ignoreAt(long clock, Block<T, E> body) throws E {
        return Timeout.ignoreAt(clock).call(body);
    }

    /**
     * The calling task's effective deadline on the kernel clock: the nearest deadline of the
     * timeout scopes it is in (as Trio's {@code current_effective_deadline}); empty if none.
     */
    public static OptionalLong currentDeadline() {
        return currentTask().timeout();
    }

    // ---- cancellation control ----

    /** Runs {@code body} with cancellation disabled; a pending cancellation is delivered after it. */
    public static <T, E extends Exception> T disableCancellation(Block<T, E> body) throws E {
        return Cancellation.disable(body);
    }

    public static <E extends Exception> void disableCancellation(VoidBlock<E> body) throws E {
        Cancellation.disable(checkBody(body).asBlock());
    }

    /** Raises a pending cancellation if delivery is enabled; else returns it (or null). */
    public static Throwable checkCancellation() {
        return Cancellation.check();
    }

    /** Checks for a pending cancellation of type {@code type} only; see {@link Cancellation#check(Class)}. */
    public static Throwable checkCancellation(Class<? extends Throwable> type) {
        return Cancellation.check(type);
    }

    /** Sets the calling task's pending cancellation; returns the previous one. */
    public static Throwable setCancellation(Throwable exc) {
        return Cancellation.set(exc);
    }

    // ---- helpers ----

    private static Kernel kernel(String what) {
        Kernel k = Kernel.current();
        if (k == null) {
            throw new AsyncOnlyError(what + " must be called from a Curio task");
        }
        return k;
    }

    private static <B> B checkBody(B body) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        return body;
    }

    static Callable<Void> asCallable(CheckedRunnable body) {
        checkBody(body);
        return () -> {
            body.run();
            return null;
        };
    }
}
