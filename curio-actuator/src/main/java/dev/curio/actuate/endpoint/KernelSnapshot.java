package dev.curio.actuate.endpoint;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.task.TaskGroup;
import java.util.IdentityHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The task table of a kernel at one instant, with the task references the rows came from.
 *
 * <p>Taken inside the kernel through {@link Kernel#inKernel} (so states and counts agree), with a
 * bounded wait. When the kernel is not running, or does not answer in time (a task is holding
 * it), it is read instead from {@link Kernel#tasksSnapshot()}, a racy read that is safe from any
 * thread, and marked not {@linkplain #consistent() consistent}: an operator most wants the table
 * exactly when the kernel is stuck. Either way the calling thread changes nothing in the kernel.
 * Immutable once taken.
 *
 * @param consistent whether the rows were read together inside the kernel
 * @param now the kernel clock (nanoseconds) at the snapshot
 * @param ready the length of the ready queue
 * @param entries the live tasks, by id
 */
record KernelSnapshot(boolean consistent, long now, int ready, List<Entry> entries) {

    /** A row and the task it describes (for reading its stack afterwards). */
    record Entry(Task<?> task, TaskRow row) {}

    static KernelSnapshot take(Kernel kernel, Duration wait) {
        if (kernel.isRunning()) {
            var answer = kernel.inKernel(k -> read(k, k.tasks(), k.readyCount(), true));
            try {
                return answer.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // the kernel is held: fall back to the racy read below (the query stays queued, harmless)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("reading the task table of kernel '" + kernel.name() + "' failed", e.getCause());
            }
        }
        return read(kernel, kernel.tasksSnapshot(), kernel.readyCount(), false);
    }

    private static KernelSnapshot read(Kernel k, List<Task<?>> tasks, int ready, boolean consistent) {
        long now = k.clock().nanos();
        Map<Object, Task<?>> firstOfGroup = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            Object g = t.group();
            if (g != null) {
                firstOfGroup.merge(g, t, (a, b) -> a.id() <= b.id() ? a : b);
            }
        }
        List<Entry> entries = tasks.stream().map(t -> new Entry(t, row(t, now, firstOfGroup))).toList();
        return new KernelSnapshot(consistent, now, ready, entries);
    }

    private static TaskRow row(Task<?> t, long now, Map<Object, Task<?>> firstOfGroup) {
        Double timeout = t.timeout().isPresent() ? seconds(t.timeout().getAsLong() - now) : null;
        Long parent = t.parentId().isPresent() ? t.parentId().getAsLong() : null;
        Object g = t.group();
        String group = null;
        Long groupId = null;
        if (g != null) {
            Task<?> first = firstOfGroup.getOrDefault(g, t); // (a racy read may see a group change)
            groupId = first.id();
            group = g instanceof TaskGroup tg && tg.name() != null ? tg.name() : first.name();
        }
        OptionalLong outAt = t.steppedOutAt();
        Double out = outAt.isPresent() ? seconds(Math.max(0, System.nanoTime() - outAt.getAsLong())) : null;
        Throwable pending = t.cancelPending();
        return new TaskRow(t.id(), t.name(), t.state(), t.cycles(), timeout, parent, t.daemon(), group, groupId,
                seconds(now - t.createdAt()), t.system(), null, t.stepOuts(), out, null,
                pending == null ? null : pending.getClass().getSimpleName());
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
