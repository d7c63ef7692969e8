package dev.curio.task;

import dev.curio.AsyncOnlyError;
import dev.curio.Block;
import dev.curio.CancelledError;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;

/**
 * Cancellation control for the calling task (Curio's {@code disable_cancellation},
 * {@code check_cancellation}, {@code set_cancellation}). A cancellation requested while delivery
 * is disabled stays pending and is raised at the first blocking operation after it is enabled
 * again; it cannot be re-enabled inside a disabled block.
 */
public final class Cancellation {

    private Cancellation() {}

    static Task<?> me(String what) {
        Task<?> t = Kernel.currentTask();
        if (t == null) {
            throw new AsyncOnlyError(what + " must be called from a Curio task");
        }
        return t;
    }

    /** Runs {@code body} with cancellation delivery disabled and returns its result. */
    public static <T, E extends Exception> T disable(Block<T, E> body) throws E {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        Task<?> me = me("disableCancellation");
        boolean last = me.allowCancel();
        me.setAllowCancel(false);
        try {
            T value = body.call();
            me.setAllowCancel(last);
            return value;
        } catch (CancelledError e) {
            me.setAllowCancel(last);
            if (!last) {
                // Still inside an outer disabled block: keep it pending rather than unwinding.
                me.setCancelPending(e);
                return null;
            }
            throw e;
        } catch (Throwable t) {
            me.setAllowCancel(last);
            throw t;
        }
    }

    /**
     * If cancellation is enabled and one is pending, raises it now. Otherwise returns the pending
     * cancellation (or null) without clearing it.
     */
    public static Throwable check() {
        Task<?> me = me("checkCancellation");
        Throwable pending = me.cancelPending();
        if (pending != null && me.allowCancel()) {
            me.setCancelPending(null);
            throw rethrow(pending);
        }
        return pending;
    }

    /**
     * Like {@link #check()}, but only for a pending cancellation of type {@code type}: if one is
     * pending and delivery is enabled it is raised; if delivery is disabled it is returned and
     * cleared. Returns null when none of that type is pending.
     */
    public static Throwable check(Class<? extends Throwable> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        Task<?> me = me("checkCancellation");
        Throwable pending = me.cancelPending();
        if (!type.isInstance(pending)) {
            return null;
        }
        me.setCancelPending(null);
        if (me.allowCancel()) {
            throw rethrow(pending);
        }
        return pending;
    }

    /** Sets the pending cancellation of the calling task and returns the previous one. */
    public static Throwable set(Throwable exc) {
        Task<?> me = me("setCancellation");
        Throwable old = me.cancelPending();
        me.setCancelPending(exc);
        return old;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new dev.curio.TaskError("pending cancellation", t);
    }
}
