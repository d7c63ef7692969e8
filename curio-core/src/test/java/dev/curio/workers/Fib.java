package dev.curio.workers;

import java.nio.file.Files;
import java.nio.file.Path;

/** Work for worker processes in tests (static, so a worker can load it from the class path). */
public final class Fib {
    private Fib() {}

    public static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /** Waits until {@code marker} exists (the parent's proof that it kept running), then computes. */
    public static long fibAfter(String marker, int n) throws InterruptedException {
        while (!Files.exists(Path.of(marker))) {
            Thread.sleep(1); // polling inside the worker process, not in a test's synchronisation
        }
        return fib(n);
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }
}
