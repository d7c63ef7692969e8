package dev.curio.task;

import dev.curio.AsyncOnlyError;
import dev.curio.CheckedRunnable;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.kernel.WaitBarrier;
import dev.curio.workers.AsyncThread;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A group of tasks that finish together (Curio's {@code TaskGroup}). No task of a group outlives
 * it: {@link #join()} waits according to the {@link Wait} policy and then cancels whatever still
 * runs, daemons included; an exception in a member, or a cancelled join, cancels every member.
 *
 * <pre>{@code
 * try (TaskGroup g = new TaskGroup()) {      // close() cancels what is left if the body throws
 *     g.spawn(() -> fetch(a));
 *     g.spawn(() -> fetch(b));
 *     g.join();
 *     use(g.results());
 * }
 * TaskGroup g = TaskGroup.run(Wait.ANY, grp -> { grp.spawn(...); grp.spawn(...); });  // joins on exit
 * }</pre>
 *
 * <p>Kernel-only: use a group from tasks of one kernel. {@link #taskDone} runs in the finishing
 * member's own thread, inside the kernel.
 */
public final class TaskGroup implements AutoCloseable, Iterable<Task<?>>, Task.GroupHook, Task.JoinHook {

    /** When {@link #join()} stops waiting (Curio's {@code wait=} argument). */
    public enum Wait {
        /** Wait for every task; the first failure ends the wait and cancels the rest. */
        ALL,
        /** Wait for the first task to finish, then cancel the rest. */
        ANY,
        /** Wait for the first task to return a non-null result (or fail), then cancel the rest. */
        OBJECT,
        /** Do not wait: cancel every task at once. */
        NONE
    }

    /** The body of {@link #run}: spawns into the group it is given. */
    @FunctionalInterface
    public interface Body<E extends Exception> {
        void accept(TaskGroup group) throws E;
    }

    private final String name;
    private final Wait wait;
    private final Set<Task<?>> running = new LinkedHashSet<>();
    private final ArrayDeque<Task<?>> finished = new ArrayDeque<>();
    private final Set<Task<?>> daemonic = new LinkedHashSet<>();
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final WaitBarrier doneWaiters = new WaitBarrier();
    private boolean joined;
    private Task<?> completed;

    /** A group that waits for all its tasks. */
    public TaskGroup() {
        this(Wait.ALL);
    }

    public TaskGroup(Wait wait) {
        this(null, wait);
    }

    /** A group with a name, which the task table shows for its members (null for none). */
    public TaskGroup(String name, Wait wait) {
        if (wait == null) {
            throw new IllegalArgumentException("wait must not be null");
        }
        this.name = name;
        this.wait = wait;
    }

    /** The name given at creation, or null; immutable, so any thread may read it. */
    public String name() {
        return name;
    }

    /** A group made of existing tasks; call from a task. */
    public static TaskGroup of(Wait wait, Task<?>... existing) {
        TaskGroup g = new TaskGroup(wait);
        for (Task<?> t : existing) {
            g.addTask(t);
        }
        return g;
    }

    /**
     * Runs {@code body} with a new group, then joins it; if {@code body} throws, every task of the
     * group is cancelled before the exception propagates. Returns the joined group.
     */
    public static <E extends Exception> TaskGroup run(Wait wait, Body<E> body) throws E {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        TaskGroup g = new TaskGroup(wait);
        try {
            body.accept(g);
        } catch (Throwable t) {
            g.cancelRemaining();
            g.join();
            throw t;
        }
        g.join();
        return g;
    }

    // ---- adding tasks ----

    public <T> Task<T> spawn(Callable<T> body) {
        return spawn(null, body, false);
    }

    public Task<Void> spawn(CheckedRunnable body) {
        return spawn(null, voidBody(body), false);
    }

    public <T> Task<T> spawn(String name, Callable<T> body) {
        return spawn(name, body, false);
    }

    public Task<Void> spawn(String name, CheckedRunnable body) {
        return spawn(name, voidBody(body), false);
    }

    /** A daemon member: ignored by the wait policy, cancelled by {@link #join()}. */
    public <T> Task<T> spawnDaemon(String name, Callable<T> body) {
        return spawn(name, body, true);
    }

    public Task<Void> spawnDaemon(String name, CheckedRunnable body) {
        return spawn(name, voidBody(body), true);
    }

    /**
     * Starts {@code fn} in a new async thread whose backing task is a member of the group
     * (Curio's {@code TaskGroup.spawn_thread}): the group waits for it, cancels it, collects its
     * result like any member's.
     */
    public <T> AsyncThread<T> spawnThread(Callable<T> fn) {
        return spawnThread(null, fn, false);
    }

    /** As {@link #spawnThread(Callable)}, naming the thread; a daemon is ignored by the wait policy. */
    public <T> AsyncThread<T> spawnThread(String name, Callable<T> fn, boolean daemon) {
        if (fn == null) {
            throw new IllegalArgumentException("fn must not be null");
        }
        if (joined) {
            throw new IllegalStateException("TaskGroup already joined");
        }
        AsyncThread<T> thread = AsyncThread.spawnThread(name, fn, daemon);
        addTask(thread.task());
        return thread;
    }

    private static Callable<Void> voidBody(CheckedRunnable body) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        return () -> {
            body.run();
            return null;
        };
    }

    private <T> Task<T> spawn(String name, Callable<T> body, boolean daemon) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        if (joined) {
            throw new IllegalStateException("TaskGroup already joined");
        }
        Kernel k = Kernel.current();
        if (k == null) {
            throw new AsyncOnlyError("TaskGroup.spawn must be called from a Curio task");
        }
        Task<T> t = k.spawn(name, body, daemon);
        addTask(t);
        return t;
    }

    /** Adds an existing task to the group. */
    public void addTask(Task<?> task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
        if (task.group() != null) {
            throw new IllegalStateException("Task is already part of a task group: " + task);
        }
        if (joined) {
            throw new IllegalStateException("TaskGroup already joined");
        }
        task.setGroup(this);
        if (!task.daemon()) {
            tasks.add(task);
        }
        if (task.terminated()) {
            taskDone(task);
        } else if (task.daemon()) {
            daemonic.add(task);
        } else {
            running.add(task);
        }
    }

    @Override
    public void taskDone(Task<?> task) {
        if (task.daemon()) {
            daemonic.remove(task);
        } else {
            running.remove(task);
            finished.addLast(task);
            doneWaiters.wakeAll();
        }
    }

    @Override
    public void taskJoined(Task<?> task) {
        finished.remove(task);
        tasks.remove(task);
        task.setGroup(null);
    }

    // ---- waiting ----

    /** Waits for the next member to finish and returns it (it leaves the group); null if none remain. */
    public Task<?> nextDone() {
        while (finished.isEmpty() && !running.isEmpty()) {
            doneWaiters.suspend("TASKGROUP_WAIT");
        }
        if (finished.isEmpty()) {
            return null;
        }
        Task<?> t = finished.pollFirst();
        t.await();
        t.setGroup(null);
        tasks.remove(t);
        return t;
    }

    /** The result of the next member to finish; its exception is raised here if it failed. */
    public Object nextResult() {
        Task<?> t = nextDone();
        if (t == null) {
            throw new IllegalStateException("No task available");
        }
        return t.result();
    }

    /** Cancels and removes every remaining non-daemon member, and waits for them. */
    public void cancelRemaining() {
        List<Task<?>> toCancel = new ArrayList<>(running);
        for (Task<?> t : toCancel) {
            t.cancel(false);
        }
        for (Task<?> t : toCancel) {
            t.await();
            taskJoined(t);
        }
    }

    /**
     * Waits according to the policy, then cancels every member still running, daemons included.
     * If the wait itself is cancelled, the members are cancelled too.
     */
    public void join() {
        try {
            if (wait == Wait.NONE) {
                return;
            }
            while (!finished.isEmpty() || !running.isEmpty()) {
                while (finished.isEmpty()) {
                    doneWaiters.suspend("TASKGROUP_WAIT");
                }
                while (!finished.isEmpty()) {
                    Task<?> t = finished.pollFirst();
                    boolean failed = t.exception() != null;
                    if (completed == null
                            && !(wait == Wait.OBJECT && !failed && t.result() == null)) {
                        completed = t;
                    }
                    if (failed || wait == Wait.ANY || (wait == Wait.OBJECT && t.result() != null)) {
                        return;
                    }
                }
            }
        } finally {
            while (!running.isEmpty()) {
                Task<?> t = running.iterator().next();
                running.remove(t);
                t.cancel();
            }
            while (!daemonic.isEmpty()) {
                Task<?> t = daemonic.iterator().next();
                daemonic.remove(t);
                t.cancel();
            }
            joined = true;
        }
    }

    /**
     * Ends the group: if it was not joined (the body threw, or never called {@link #join()}), cancels
     * every remaining member and joins. Never leaves a member running.
     */
    @Override
    public void close() {
        if (!joined) {
            cancelRemaining();
            join();
        }
    }

    // ---- results ----

    private void checkJoined() {
        if (!joined) {
            throw new IllegalStateException("Task group not yet terminated");
        }
    }

    public Wait waitPolicy() {
        return wait;
    }

    public boolean joined() {
        return joined;
    }

    /** The first member that completed in {@link #join()} (per the policy), or null. */
    public Task<?> completed() {
        checkJoined();
        return completed;
    }

    /** The result of {@link #completed()}; raises its exception if it failed. */
    public Object result() {
        checkJoined();
        if (completed == null) {
            throw new IllegalStateException("No task successfully completed");
        }
        return completed.result();
    }

    /** The exception of {@link #completed()}, or null. */
    public Throwable exception() {
        checkJoined();
        return completed == null ? null : completed.exception();
    }

    /** Results of all members, by task id; raises the first failure met. */
    public List<Object> results() {
        checkJoined();
        List<Object> out = new ArrayList<>();
        for (Task<?> t : tasks()) {
            out.add(t.result());
        }
        return out;
    }

    /** Exceptions of all members (null for those that succeeded), by task id. */
    public List<Throwable> exceptions() {
        checkJoined();
        List<Throwable> out = new ArrayList<>();
        for (Task<?> t : tasks()) {
            out.add(t.exception());
        }
        return out;
    }

    /** Non-daemon members not yet removed (by join, nextDone or cancel), by task id. */
    public List<Task<?>> tasks() {
        List<Task<?>> l = new ArrayList<>(tasks);
        l.sort(Comparator.comparingLong(Task::id));
        return l;
    }

    /** Iterates over members as they finish ({@link #nextDone()}); ends when none remain. */
    @Override
    public Iterator<Task<?>> iterator() {
        return new Iterator<>() {
            private Task<?> next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = nextDone();
                }
                return next != null;
            }

            @Override
            public Task<?> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Task<?> t = next;
                next = null;
                return t;
            }
        };
    }

    @Override
    public String toString() {
        return "TaskGroup(wait=" + wait + ", running=" + running.size() + ", finished=" + finished.size()
                + ", daemons=" + daemonic.size() + (joined ? ", joined" : "") + ")";
    }
}
