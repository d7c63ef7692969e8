package dev.curio.actuate.endpoint;

import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of the endpoint's cancel that runs inside the kernel (an action of its inbox): finds
 * the task and its group and requests their cancellation. Kernel-only; stateless.
 */
final class KernelCancel {

    private KernelCancel() {}

    /** A cancel refused because the task is the kernel's own machinery. */
    record SystemTask(String name, String message) {}

    /**
     * Inside the kernel: finds the task (and its group) and requests their cancellation at once;
     * null when unknown or finished, a {@link SystemTask} refusal for the kernel's own tasks (a
     * group cancel leaves system members alone too).
     */
    static Object cancel(Kernel k, long id, String why, boolean wholeGroup) {
        Task<?> target = null;
        for (Task<?> t : k.tasks()) {
            if (t.id() == id) {
                target = t;
            }
        }
        if (target == null || target.terminated()) {
            return null;
        }
        if (target.system()) {
            return new SystemTask(target.name(), target.cancelRefusal());
        }
        List<Long> ids = new ArrayList<>();
        Object g = target.group();
        for (Task<?> t : k.tasks()) {
            if (t == target || (wholeGroup && g != null && t.group() == g && !t.system() && !t.terminated())) {
                ids.add(t.id());
            }
        }
        // Posted from inside the inbox's drain: they run in this same drain, before any task runs.
        for (long tid : ids) {
            k.cancelTask(tid, new TaskCancelled(why));
        }
        return new CurioEndpoint.Cancelled(id, target.name(), why, wholeGroup, List.copyOf(ids));
    }
}
