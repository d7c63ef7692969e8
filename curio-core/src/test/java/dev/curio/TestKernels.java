package dev.curio;

import dev.curio.kernel.Kernel;
import dev.curio.kernel.ManualClock;

/** Kernels for tests: a manual clock with autojump, so sleeps and timeouts take no real time. */
public final class TestKernels {
    private TestKernels() {}

    public static Kernel.Builder autojump() {
        return Kernel.builder().clock(ManualClock.autojump());
    }

    public static <T> T run(java.util.concurrent.Callable<T> main) {
        return Curio.run(autojump(), main);
    }

    public static void run(CheckedRunnable main) {
        Curio.run(autojump(), () -> {
            main.run();
            return null;
        });
    }
}
