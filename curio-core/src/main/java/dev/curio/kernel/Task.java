package dev.curio.kernel;

import dev.curio.TaskCancelled;
import dev.curio.TaskError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * A task: a body running in its own virtual thread under a kernel (Curio's {@code Task}).
 *
 * <p>Invariant: the fields below the marker are kernel state, written only by the thread that
 * holds the kernel (the running task, or the kernel's loop). Other threads read them only through
 * the snapshot-style getters, which are documented as racy. {@link #scheduled} is the one field
 * written across threads: the kernel sets it to hand the kernel to this task.
 */
public final class Task<T> {

    private final long id;
    private final Long parentId;
    private final String name;
    private final Kernel kernel;
    private final Callable<T> body;
    final Thread thread;
    private final long createdAt;

    // ---- kernel state (thread holding the kernel only) ----
    boolean daemon;
    // Written on every switch: plain fields (a volatile write per switch is measurable); other
    // threads read them as racy snapshots, which is all monitoring needs.
    String state = "INITIAL";
    long cycles;
    Runnable cancelFunc;
    TimeQueue.Entry sleepEntry;
    TimeQueue.Entry timeoutEntry;
    /** Effective timeout deadline on the kernel clock, or {@link Kernel#NO_DEADLINE}. */
    long timeout = Kernel.NO_DEADLINE;
    /** Tasks waiting for this one to terminate; created by the first joiner. */
    WaitBarrier joining;
    volatile boolean cancelled;
    volatile boolean terminated;
    Throwable cancelPending;
    boolean allowCancel = true;
    Object group;
    boolean joined;
    private T result;
    private Throwable exception;
    Object trapResult;
    Throwable trapException;
    /** Task-local values; shared with the parent until the first write (copy on write). */
    Map<Object, Object> locals;
    boolean localsShared;
    /** Deadlines of the timeout scopes this task is inside, outermost first; created on first use. */
    List<Long> deadlines;
    Object waitingOn;
    Trap lastTrap;
    boolean started;
    /** The kernel's own machinery (its shutdown task, a served kernel's main), not user work. */
    boolean system;
    /**
     * Whether a failure of this task is logged as a "Task Crash" (Curio's rule for every task but
     * the main one). False for a task submitted from outside: its future carries the failure to
     * the caller, as {@code ExecutorService.submit} does, and a line too would report it twice.
     */
    boolean reportCrash = true;
    volatile boolean scheduled;
    /**
     * Whether the task runs its own code (not the kernel's: a trap, a hand-off, its start and end).
     * Only a task parked in the JDK while in its own code may step out: in kernel code the
     * kernel's state is mid-update. Written by the task's thread; read by the owned carrier, on
     * the same platform thread right after the task's continuation yielded.
     */
    boolean inUserCode;
    /** The JDK's continuation of this task's virtual thread (owned carrier only, else null). */
    final Runnable continuation;
    /** The continuation the JDK submitted while the task was out, run when the kernel resumes it. */
    Runnable heldContinuation;
    /** {@link System#nanoTime} when the task stepped out, or 0 while it is in (any thread reads it). */
    volatile long outSince;
    /** How many times the task stepped out of the kernel. */
    long stepOuts;
    /** Written by the long-block sentry's thread; any thread reads it. */
    volatile LongBlock lastLongBlock;

    Task(long id, Task<?> parent, String name, Kernel kernel, Callable<T> body, boolean daemon, long now) {
        this.id = id;
        this.parentId = parent == null ? null : parent.id;
        this.name = name != null ? name : "task-" + id;
        this.kernel = kernel;
        this.body = body;
        this.daemon = daemon;
        this.createdAt = now;
        if (parent != null && parent.locals != null) {
            this.locals = parent.locals;
            this.localsShared = true;
            parent.localsShared = true;
        }
        this.thread = kernel.carrier().newThread("curio-" + kernel.name() + "-task-" + id, this::runBody);
        this.continuation = kernel.carrier().adopt(thread);
    }

    private void runBody() {
        awaitKernel();
        Kernel.CURRENT.set(this);
        T value = null;
        Throwable failure = null;
        inUserCode = true;
        try {
            value = body.call();
        } catch (Throwable t) {
            failure = t;
        }
        inUserCode = false;
        if (group instanceof GroupHook hook) {
            try {
                hook.taskDone(this);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
        Kernel.CURRENT.remove();
        kernel.taskFinished(this, value, failure);
    }

    /** Parks the calling (this task's) thread until the kernel is handed to it. */
    void awaitKernel() {
        while (!scheduled) {
            java.util.concurrent.locks.LockSupport.park(this);
        }
        scheduled = false;
    }

    void complete(T value, Throwable failure) {
        this.result = value;
        this.exception = failure;
        this.terminated = true;
        this.state = "TERMINATED";
    }

    /** Implemented by task groups: told, in the finishing task, that the task is done. */
    public interface GroupHook {
        void taskDone(Task<?> task);
    }

    // ---- identity ----

    /** Monotonically increasing id, unique in this JVM. */
    public long id() {
        return id;
    }

    /** Id of the task that spawned this one, if any. */
    public OptionalLong parentId() {
        return parentId == null ? OptionalLong.empty() : OptionalLong.of(parentId);
    }

    public String name() {
        return name;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Whether the task is a daemon: never joined, its result disregarded, cancelled at shutdown. */
    public boolean daemon() {
        return daemon;
    }

    /**
     * Whether the task is the kernel's own machinery (the shutdown task, the main task of a
     * {@link KernelThread}) rather than user work; monitoring may leave such tasks out.
     */
    public boolean system() {
        return system;
    }

    /**
     * Why a request to cancel this system task is refused: the one wording every door gives (user
     * code, the actuator endpoint, the console monitor), so their answers and audit lines agree.
     */
    public String cancelRefusal() {
        return "task " + id + " (" + name() + ") is a system task of kernel '" + kernel.name()
                + "', its own machinery: cancelling it would stop the kernel, so it is refused";
    }

    /** Kernel clock (nanoseconds) at which the task was created. */
    public long createdAt() {
        return createdAt;
    }

    // ---- state (racy snapshots when read from another thread) ----

    /** The state name, as Curio's: {@code READY}, {@code RUNNING}, {@code TIME_SLEEP}, {@code TASK_JOIN}, ... */
    public String state() {
        return state;
    }

    /**
     * Whether the task has stepped out of the kernel: the JDK blocks it outside a trap (state
     * {@code BLOCKED}; see {@link BlockingCalls#RELEASE}). A racy snapshot from other threads.
     */
    public boolean steppedOut() {
        return outSince != 0;
    }

    /** {@link System#nanoTime} at which the task stepped out, or empty while it is in. */
    public OptionalLong steppedOutAt() {
        long t = outSince;
        return t == 0 ? OptionalLong.empty() : OptionalLong.of(t);
    }

    /** How many times the task has stepped out of the kernel (a racy snapshot from other threads). */
    public long stepOuts() {
        return stepOuts;
    }

    /**
     * What the JDK blocks the task in while it is out of the kernel, read from its stack: the JDK
     * call its code made ({@code Thread.sleep}, {@code Socket$SocketInputStream.read},
     * {@code ReentrantLock.lock}...) and the frame that made it; null while the task is in.
     */
    public String blockedIn() {
        if (outSince == 0) {
            return null;
        }
        String s = BlockedIn.describe(stack());
        return outSince == 0 ? null : s;
    }

    /**
     * The last time this task held its kernel longer than the kernel's long-block threshold, with
     * where it was at the time; empty if it never did.
     */
    public java.util.Optional<LongBlock> lastLongBlock() {
        return java.util.Optional.ofNullable(lastLongBlock);
    }

    /** Number of scheduling cycles the task has started. */
    public long cycles() {
        return cycles;
    }

    /** Whether the task's result was collected (joined, its result read, or cancelled after it ended). */
    public boolean joined() {
        return joined;
    }

    public boolean cancelled() {
        return cancelled;
    }

    public boolean terminated() {
        return terminated;
    }

    /** The task's effective timeout deadline (kernel clock, nanoseconds), if it is inside a timeout. */
    public OptionalLong timeout() {
        long t = timeout;
        return t == Kernel.NO_DEADLINE ? OptionalLong.empty() : OptionalLong.of(t);
    }

    /** The task group the task belongs to, if any. */
    public Object group() {
        return group;
    }

    /** Marks the task as belonging to a group; only task groups call this, inside the kernel. */
    public void setGroup(Object group) {
        kernel.checkHeld("Task.setGroup");
        this.group = group;
    }

    // ---- results ----

    /**
     * The result of a terminated task. Rethrows the task's exception if it failed (unchecked as is,
     * checked wrapped in {@link TaskError}).
     *
     * @throws IllegalStateException if the task has not terminated
     */
    public T result() {
        if (!terminated) {
            throw new IllegalStateException("Task not terminated: " + this);
        }
        joined = true;
        if (exception != null) {
            throw rethrow(exception);
        }
        return result;
    }

    /** The exception the task failed with, or null. @throws IllegalStateException if not terminated */
    public Throwable exception() {
        if (!terminated) {
            throw new IllegalStateException("Task not terminated: " + this);
        }
        return exception;
    }

    /** Waits for the task to terminate and returns its result; a failure becomes a {@link TaskError}. */
    public T join() {
        await();
        if (group instanceof JoinHook hook) {
            hook.taskJoined(this);
        }
        joined = true;
        if (exception != null) {
            throw new TaskError("Task crash: " + this, exception);
        }
        return result;
    }

    /** Implemented by task groups: a member was joined directly and leaves the group. */
    public interface JoinHook {
        void taskJoined(Task<?> task);
    }

    /** Waits for the task to terminate; returns nothing and raises nothing about the task's outcome. */
    public void await() {
        if (!terminated) {
            if (joining == null) {
                kernel.checkHeld("Task.await");
                joining = new WaitBarrier();
            }
            joining.suspend("TASK_JOIN");
        }
    }

    /** Curio's {@code wait()}: the same as {@link #await()} (Java's {@code Object.wait} takes the name). */
    public void waitDone() {
        await();
    }

    /** Cancels with {@link TaskCancelled} and waits for the task to terminate. */
    public void cancel() {
        cancel(new TaskCancelled(), true);
    }

    /** Cancels with {@link TaskCancelled}; waits for termination if {@code blocking}. */
    public void cancel(boolean blocking) {
        cancel(new TaskCancelled(), blocking);
    }

    /**
     * Cancels with a new exception of class {@code exc} and waits for the task to terminate
     * (Curio's {@code cancel(exc=MyError)}); see {@link #cancel(Class, boolean)}.
     */
    public void cancel(Class<? extends Throwable> exc) {
        cancel(exc, true);
    }

    /**
     * Cancels with a new exception of class {@code exc}, made as Curio makes it: with the class's
     * simple name as its message (a {@code (String)} constructor), else by its no-argument
     * constructor. Nothing is made if the task has already terminated.
     *
     * @throws IllegalArgumentException if {@code exc} is null or has neither constructor
     */
    public void cancel(Class<? extends Throwable> exc, boolean blocking) {
        if (exc == null) {
            throw new IllegalArgumentException("cancel: exc must not be null");
        }
        cancel(() -> CancelExceptions.make(exc), blocking);
    }

    /**
     * Cancels with the exception {@code exc} supplies, called only if the task has not terminated
     * (the form for an exception class whose constructor takes arguments).
     *
     * @throws IllegalArgumentException if {@code exc} is null or supplies null
     */
    public void cancel(java.util.function.Supplier<? extends Throwable> exc, boolean blocking) {
        if (exc == null) {
            throw new IllegalArgumentException("cancel: exc must not be null");
        }
        if (terminated && !system) {
            joined = true;
            return;
        }
        Throwable e = exc.get();
        if (e == null) {
            throw new IllegalArgumentException("cancel: the exc supplier returned null");
        }
        cancel(e, blocking);
    }

    /**
     * Cancels the task with {@code exc}, raised at its current or next blocking operation. A task is
     * cancelled once: a second request only waits (if blocking) for the first to take effect. On a
     * terminated task this returns at once.
     *
     * @throws IllegalStateException if this is a {@link #system()} task and the caller is user
     *         code: only the kernel's own machinery (its shutdown) cancels the kernel's tasks
     */
    public void cancel(Throwable exc, boolean blocking) {
        if (exc == null) {
            throw new IllegalArgumentException("cancel: exc must not be null");
        }
        Task<?> caller = Kernel.CURRENT.get();
        if (system && (caller == null || !caller.system)) {
            throw new SystemTaskCancelRefused(cancelRefusal());
        }
        if (terminated) {
            joined = true;
            return;
        }
        Kernel.trap(new Trap.CancelTask(this, exc));
        if (blocking) {
            await();
        }
    }

    // ---- low-level access for the task's own code (timeouts, cancellation control, locals) ----
    // Each of these must be called by this task while it runs; they are checked.

    private void checkSelf(String what) {
        if (Kernel.CURRENT.get() != this) {
            throw new IllegalStateException(what + " may only be called by the task itself (" + this + ")");
        }
    }

    /** Enters a timeout scope with {@code deadline} (Curio's {@code task._deadlines}). */
    public void pushDeadline(long deadline) {
        checkSelf("pushDeadline");
        if (deadlines == null) {
            deadlines = new ArrayList<>(2);
        }
        deadlines.add(deadline);
    }

    /** Leaves the innermost timeout scope. */
    public void popDeadline() {
        checkSelf("popDeadline");
        deadlines.remove(deadlines.size() - 1);
    }

    /** Deadlines of the enclosing timeout scopes, outermost first (a read-only view). */
    public List<Long> deadlineScopes() {
        return deadlines == null ? List.of() : java.util.Collections.unmodifiableList(deadlines);
    }

    /** Whether cancellation exceptions may be delivered to this task now. */
    public boolean allowCancel() {
        return allowCancel;
    }

    public void setAllowCancel(boolean allow) {
        checkSelf("setAllowCancel");
        this.allowCancel = allow;
    }

    /** The cancellation waiting to be delivered, or null. */
    public Throwable cancelPending() {
        return cancelPending;
    }

    public void setCancelPending(Throwable exc) {
        checkSelf("setCancelPending");
        this.cancelPending = exc;
    }

    /** The value of a task-local for this task, or {@code absent}. */
    public Object localValue(Object key, Object absent) {
        if (locals == null) {
            return absent;
        }
        return locals.getOrDefault(key, absent);
    }

    /** Sets (or with {@code remove}, removes) a task-local of this task; children copy them at spawn. */
    public void setLocalValue(Object key, Object value, boolean remove) {
        checkSelf("setLocalValue");
        if (locals == null) {
            if (remove) {
                return;
            }
            locals = new HashMap<>();
        } else if (localsShared) {
            locals = new HashMap<>(locals);
            localsShared = false;
        }
        if (remove) {
            locals.remove(key);
        } else {
            locals.put(key, value);
        }
    }

    // ---- debugging ----

    /** Which classes belong to this library (same code source as the kernel), by name. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> LIBRARY_CLASSES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static boolean libraryFrame(StackTraceElement e) {
        String c = e.getClassName();
        if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
            return true;
        }
        if (!c.startsWith("dev.curio.")) {
            return false;
        }
        return LIBRARY_CLASSES.computeIfAbsent(c, name -> {
            try {
                Class<?> k = Class.forName(name, false, Task.class.getClassLoader());
                var here = Task.class.getProtectionDomain().getCodeSource();
                var there = k.getProtectionDomain().getCodeSource();
                return here != null && there != null && here.getLocation().equals(there.getLocation());
            } catch (ClassNotFoundException | LinkageError | SecurityException ex) {
                return false;
            }
        });
    }

    /**
     * The innermost frame of user code where the task is (suspended tasks only), or null: frames of
     * this library (the kernel, Event, queues, sockets...) and of the JDK are skipped.
     */
    public StackTraceElement where() {
        for (StackTraceElement e : stack()) {
            if (!libraryFrame(e)) {
                return e;
            }
        }
        return null;
    }

    /** The task's current stack, innermost first; empty once it terminated. */
    public StackTraceElement[] stack() {
        if (terminated) {
            return new StackTraceElement[0];
        }
        return thread.getStackTrace();
    }

    /** A formatted stack of the task, like Curio's {@code traceback()}. */
    public String traceback() {
        StackTraceElement[] st = stack();
        if (st.length == 0) {
            return "No stack for " + this;
        }
        StringBuilder sb = new StringBuilder("Stack for ").append(this).append(" (most recent call first):\n");
        for (StackTraceElement e : st) {
            sb.append("  at ").append(e).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Task(id=" + id + ", name='" + name + "', state='" + state + "')";
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new TaskError("Task failed: " + t, t);
    }
}
