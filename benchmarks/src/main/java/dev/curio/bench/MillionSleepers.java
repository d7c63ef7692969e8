package dev.curio.bench;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/**
 * One kernel, a million concurrently sleeping tasks: spawns them (timed), lets every one of them
 * start and go to sleep (timed), then cancels them all the way a task group's
 * {@code cancel_remaining} does (every cancel first, then every wait; timed) and checks that each
 * task ended cancelled and that the kernel is empty. Not JMH: a single shot of a million is the
 * measurement, and the heap limit (-Xmx4g) is part of it.
 *
 * <p>Usage: {@code java -Xmx4g --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar
 * dev.curio.bench.MillionSleepers owned|default [tasks]}. Prints a human summary and one line
 * {@code RESULT {...}} (JSON) for run-kernel-bench.sh. Exits non-zero if a check fails.
 *
 * <p>Thread-safety: all kernel work runs inside the main task; the timings are plain locals.
 */
public final class MillionSleepers {

    private MillionSleepers() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: MillionSleepers owned|default [tasks]");
            System.exit(2);
        }
        String carrier = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        if (n < 1) {
            throw new IllegalArgumentException("tasks must be positive, was " + n);
        }
        long[] t = new long[5];
        long[] heapAsleep = new long[1];
        int[] cancelledOk = new int[1];
        Kernel kernel = Carriers.build(carrier, "sleepers");
        kernel.run(() -> {
            @SuppressWarnings("unchecked")
            Task<Void>[] tasks = new Task[n];
            t[0] = System.nanoTime();
            for (int i = 0; i < n; i++) {
                tasks[i] = Curio.spawn(MillionSleepers::sleepAnHour);
            }
            t[1] = System.nanoTime();
            Curio.sleep(0); // the main task is last in the batch: every sleeper has run and sleeps
            t[2] = System.nanoTime();
            int asleep = 0;
            for (Task<Void> task : tasks) {
                if (task.state().equals("TIME_SLEEP")) {
                    asleep++;
                }
            }
            if (asleep != n || kernel.pendingDeadlines() != n) {
                throw new IllegalStateException(asleep + " of " + n + " tasks asleep, "
                        + kernel.pendingDeadlines() + " deadlines pending");
            }
            heapAsleep[0] = liveHeapAfterGc();
            long c0 = System.nanoTime();
            for (Task<Void> task : tasks) {
                task.cancel(false);
            }
            t[4] = System.nanoTime() - c0;
            for (Task<Void> task : tasks) {
                task.waitDone();
            }
            t[3] = System.nanoTime() - c0;
            for (Task<Void> task : tasks) {
                if (task.terminated() && task.cancelled()
                        && task.exception() instanceof dev.curio.TaskCancelled) {
                    cancelledOk[0]++;
                }
            }
            if (kernel.taskCount() != 1 || kernel.pendingDeadlines() != 0) {
                throw new IllegalStateException("after cancelling: " + kernel.taskCount()
                        + " tasks (main only expected), " + kernel.pendingDeadlines() + " deadlines");
            }
            return null;
        });
        kernel.close();
        boolean ok = cancelledOk[0] == n && kernel.taskCount() == 0;
        double spawnS = (t[1] - t[0]) / 1e9;
        double asleepS = (t[2] - t[0]) / 1e9;
        double cancelS = t[3] / 1e9;
        double cancelCallsS = t[4] / 1e9;
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf(Locale.ROOT, "carrier=%s tasks=%,d max heap=%,d MB%n", carrier, n, maxHeap >> 20);
        System.out.printf(Locale.ROOT, "  spawn calls:        %.3f s  %,.0f tasks/s%n", spawnS, n / spawnS);
        System.out.printf(Locale.ROOT, "  spawned and asleep: %.3f s  %,.0f tasks/s%n", asleepS, n / asleepS);
        System.out.printf(Locale.ROOT, "  live heap, all asleep (after GC): %,d MB (%,d bytes/task)%n",
                heapAsleep[0] >> 20, heapAsleep[0] / n);
        System.out.printf(Locale.ROOT, "  cancel all + wait all: %.3f s (cancel calls %.3f s); cancelled and terminated: %,d of %,d; tasks left: %d%n",
                cancelS, cancelCallsS, cancelledOk[0], n, kernel.taskCount());
        System.out.printf(Locale.ROOT,
                "RESULT {\"impl\":\"java\",\"bench\":\"sleepers\",\"carrier\":\"%s\",\"tasks\":%d,"
                        + "\"spawn_s\":%.6f,\"asleep_s\":%.6f,\"cancel_s\":%.6f,\"cancel_calls_s\":%.6f,\"heap_mb\":%d,"
                        + "\"max_heap_mb\":%d,\"cancelled\":%d,\"ok\":%b}%n",
                carrier, n, spawnS, asleepS, cancelS, cancelCallsS, heapAsleep[0] >> 20, maxHeap >> 20, cancelledOk[0], ok);
        if (!ok) {
            System.exit(1);
        }
    }

    private static void sleepAnHour() {
        Curio.sleep(3600);
    }

    /** Heap in use after a full collection: what the sleeping tasks really hold. */
    private static long liveHeapAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }
}
