package dev.curio.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A barrier of waiting tasks (Curio's {@code SchedBarrier}): typically all of them wake together,
 * as for an event or a join. Unlike Curio's set, wake-ups follow arrival order, so orderings are
 * deterministic.
 *
 * <p>Kernel-only state: touched only by the thread holding the kernel.
 */
public final class WaitBarrier extends SchedPrimitive {

    private final LinkedHashSet<Task<?>> tasks = new LinkedHashSet<>();

    @Override
    Runnable kernelSuspend(Task<?> task) {
        tasks.add(task);
        return () -> tasks.remove(task);
    }

    @Override
    List<Task<?>> kernelWake(int n) {
        List<Task<?>> woken = new ArrayList<>(Math.min(n, tasks.size()));
        var it = tasks.iterator();
        while (n-- > 0 && it.hasNext()) {
            woken.add(it.next());
            it.remove();
        }
        return woken;
    }

    /** Wakes every waiting task. */
    public void wakeAll() {
        wake(size());
    }

    @Override
    public int size() {
        return tasks.size();
    }
}
