package dev.curio.spring.boot;

import dev.curio.kernel.Kernel;
import java.util.concurrent.TimeUnit;

/** Test helpers for kernels running on their own thread. */
final class Kernels {
    private Kernels() {}

    /**
     * Returns once the kernel has handled everything that happened before this call: a posted
     * no-op runs only when some holder polls the inbox, and a task that has returned still holds
     * the kernel until its terminated activations have run. (The bound only turns a hang into a
     * failure.)
     */
    static void settle(Kernel kernel) throws Exception {
        kernel.inKernel(k -> null).get(30, TimeUnit.SECONDS);
    }
}
