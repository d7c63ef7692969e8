package dev.curio.task;

import dev.curio.AsyncOnlyError;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.util.function.Supplier;

/**
 * Task-local storage (Curio's {@code Local}): each task sees its own value. A child task starts
 * with a copy of its parent's values at spawn (inherited, unlike {@link ThreadLocal}); later
 * changes on either side are not seen by the other, and siblings are isolated. Reading needs no
 * trap, so synchronous code such as a log filter can use it.
 *
 * <p>Outside any task, {@link #get()} gives the initial value and {@link #set} is an error.
 */
public final class Local<T> {

    private static final Object ABSENT = new Object();
    private final Supplier<? extends T> initial;

    /** A local whose value is null until set. */
    public Local() {
        this(() -> null);
    }

    private Local(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /** A local whose value is {@code initial.get()} until set. */
    public static <T> Local<T> withInitial(Supplier<? extends T> initial) {
        if (initial == null) {
            throw new IllegalArgumentException("initial must not be null");
        }
        return new Local<>(initial);
    }

    @SuppressWarnings("unchecked")
    public T get() {
        Task<?> t = Kernel.currentTask();
        if (t == null) {
            return initial.get();
        }
        Object v = t.localValue(this, ABSENT);
        if (v == ABSENT) {
            // As ThreadLocal.withInitial: the initial value is computed once per task and kept.
            T init = initial.get();
            if (t == Kernel.currentTask()) {
                t.setLocalValue(this, init, false);
            }
            return init;
        }
        return (T) v;
    }

    /** Whether the calling task has a value of its own (set by it or inherited). */
    public boolean isSet() {
        Task<?> t = Kernel.currentTask();
        return t != null && t.localValue(this, ABSENT) != ABSENT;
    }

    public void set(T value) {
        task("Local.set").setLocalValue(this, value, false);
    }

    public void remove() {
        task("Local.remove").setLocalValue(this, null, true);
    }

    private static Task<?> task(String what) {
        Task<?> t = Kernel.currentTask();
        if (t == null) {
            throw new AsyncOnlyError(what + " must be called from a Curio task");
        }
        return t;
    }
}
