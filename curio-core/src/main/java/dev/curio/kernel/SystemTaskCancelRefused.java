package dev.curio.kernel;

/**
 * A request from outside the kernel's machinery to cancel one of the kernel's own
 * {@link Task#system() system tasks} (a {@link KernelThread}'s main task, the shutdown task):
 * refused, because the kernel would stop with it. The message names the task and the kernel.
 */
public final class SystemTaskCancelRefused extends IllegalStateException {

    public SystemTaskCancelRefused(String message) {
        super(message);
    }
}
