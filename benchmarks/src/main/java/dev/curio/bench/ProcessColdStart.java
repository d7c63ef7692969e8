package dev.curio.bench;

import dev.curio.kernel.Kernel;
import dev.curio.workers.ProcessWorkers;
import dev.curio.workers.Workers;
import java.util.Locale;

/**
 * Cold start of the worker process pool: a fresh kernel and pool, then the first
 * {@code Workers.runInProcess(() -> 1)} (it starts a worker JVM and waits for its reply), then a
 * second call on the now warm worker; repeated with a new kernel and pool each time. Reports the
 * first call, the pool's own {@link ProcessWorkers#lastStartTime()} (the process launch only: the
 * worker JVM's boot is in the first call, not in it) and the second call. Not JMH: a cold start
 * happens once per pool, so each repetition is one shot.
 *
 * <p>Usage: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar
 * dev.curio.bench.ProcessColdStart owned|default [repetitions]}. Prints a human summary and one
 * {@code RESULT {...}} line per repetition; exits non-zero if a worker outlives its pool.
 *
 * <p>Thread-safety: the timings are locals of the one task of each run.
 */
public final class ProcessColdStart {

    private ProcessColdStart() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ProcessColdStart owned|default [repetitions]");
            System.exit(2);
        }
        String carrier = args[0];
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (reps < 1) {
            throw new IllegalArgumentException("repetitions must be positive, was " + reps);
        }
        for (int r = 1; r <= reps; r++) {
            Kernel kernel = Carriers.build(carrier, "cold-start");
            ProcessWorkers pool = Workers.processPool(kernel);
            long[] t = new long[3];
            int sum = kernel.run(() -> {
                t[0] = System.nanoTime();
                int a = Workers.runInProcess(RunInProcessBench.ONE);
                t[1] = System.nanoTime();
                int b = Workers.runInProcess(RunInProcessBench.ONE);
                t[2] = System.nanoTime();
                return a + b;
            });
            double launchMs = pool.lastStartTime().toNanos() / 1e6;
            long started = pool.startedProcesses();
            kernel.close();
            int live = pool.liveProcesses();
            double firstMs = (t[1] - t[0]) / 1e6;
            double secondMs = (t[2] - t[1]) / 1e6;
            boolean ok = sum == 2 && started == 1 && live == 0;
            System.out.printf(Locale.ROOT, "carrier=%s rep=%d: first call (cold) %.1f ms, of which process launch %.1f ms;"
                    + " second call (warm) %.3f ms; workers started %d, alive after close %d%n",
                    carrier, r, firstMs, launchMs, secondMs, started, live);
            System.out.printf(Locale.ROOT, "RESULT {\"impl\":\"java\",\"bench\":\"process_cold\",\"carrier\":\"%s\","
                    + "\"first_call_ms\":%.3f,\"launch_ms\":%.3f,\"second_call_ms\":%.3f,\"ok\":%b}%n",
                    carrier, firstMs, launchMs, secondMs, ok);
            if (!ok) {
                System.exit(1);
            }
        }
    }
}
