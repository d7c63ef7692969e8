package dev.curio.spring.boot;

import dev.curio.kernel.Kernel;
import java.util.concurrent.TimeUnit;

/** Test helpers for kernels running on their own thread. */
final class Kernels {
    private Kernels() {}

    /**
     * Returns once the terminated activations of every task whose submitted future has completed
     * have run: a task completes its future while it still holds the kernel, and keeps holding it
     * through its terminated activations, while this posted no-op runs only when a holder polls
     * the inbox. (The bound only turns a hang into a failure.)
     */
    static void settle(Kernel kernel) throws Exception {
        kernel.inKernel(k -> null).get(30, TimeUnit.SECONDS);
    }
}
