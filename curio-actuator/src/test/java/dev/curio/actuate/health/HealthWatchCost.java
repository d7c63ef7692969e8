package dev.curio.actuate.health;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.spring.boot.metrics.CurioKernelMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link LongBlockWatch} costs a task switch, without JMH: a plain {@code main}, not a test
 * (it measures; it asserts nothing). Two tasks yield to each other ({@code sleep(0)}), so every
 * cycle is one switch; runs alternate A (the kernel as the starter builds it with the actuator:
 * the metrics activation bound to a registry, and the watch) and B (the metrics activation only),
 * A B A B after five warm-up pairs, in one JVM, and print process CPU nanoseconds per switch (the
 * watchdog thread's included), their medians and the median of the pairs' ratios.
 *
 * <pre>
 * mvn -B -q -pl curio-actuator -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * JAVA25/bin/java --add-opens java.base/java.lang=ALL-UNNAMED \
 *   -cp curio-actuator/target/test-classes:curio-actuator/target/classes:$(cat /tmp/cp.txt) \
 *   dev.curio.actuate.health.HealthWatchCost [pairs=10] [switches=2000000]
 * </pre>
 *
 * <p>Single-threaded driver: everything runs on the calling thread and the kernels' tasks.
 */
public final class HealthWatchCost {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private HealthWatchCost() {}

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int switches = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        System.out.printf("task switch with and without LongBlockWatch: %d pairs, %d switches a run, %s%n",
                pairs, switches, Runtime.version());
        for (int i = 0; i < 5; i++) {
            cpuPerSwitch(true, switches);
            cpuPerSwitch(false, switches);
        }
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            double withWatch = cpuPerSwitch(true, switches);
            double without = cpuPerSwitch(false, switches);
            a.add(withWatch);
            b.add(without);
            ratios.add(withWatch / without);
            System.out.printf("pair %2d  A (metrics + watch) %6.1f   B (metrics) %6.1f   cpu ns/switch%n", i + 1, withWatch, without);
        }
        System.out.printf("median  A %6.1f  B %6.1f cpu ns/switch, median of pair ratios A/B %.3f%n",
                median(a), median(b), median(ratios));
    }

    private static double cpuPerSwitch(boolean watch, int switches) {
        String name = watch ? "with-watch" : "without";
        CurioKernelMetrics metrics = new CurioKernelMetrics(name, Duration.ofMillis(50));
        metrics.bindTo(new SimpleMeterRegistry());
        Kernel.Builder b = Kernel.builder().name(name).activations(metrics);
        if (watch) {
            b.activations(new LongBlockWatch(Duration.ofMillis(50)));
        }
        int perTask = switches / 2;
        long[] cpu = new long[1];
        Curio.run(b, () -> {
            Task<Void> ping = Curio.spawn("ping", () -> yieldTimes(perTask));
            Task<Void> pong = Curio.spawn("pong", () -> yieldTimes(perTask));
            long c0 = OS.getProcessCpuTime();
            ping.join();
            pong.join();
            cpu[0] = OS.getProcessCpuTime() - c0;
            return null;
        });
        return (double) cpu[0] / (2L * perTask);
    }

    private static Void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            Curio.sleep(Duration.ZERO);
        }
        return null;
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
