package dev.curio.spring.boot.metrics;

import dev.curio.Curio;
import dev.curio.kernel.CarrierKind;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The metrics activation's cost on the task switch, without JMH: a plain {@code main}, not a test
 * (it asserts nothing; it measures). Two tasks yield to each other ({@code sleep(0)}) so every
 * cycle is one switch; runs alternate A (a kernel with {@link CurioKernelMetrics}, bound to a
 * registry as Boot binds it) and B (the same kernel without it), A B A B, after a warm-up of both,
 * in one JVM. Prints wall and process-CPU nanoseconds per switch for every run, their medians, the
 * overhead median(A) / median(B) - 1, and the median of the pairs' own ratios A / B - 1. On a
 * shared machine, CPU time is the figure to read: wall time also counts the time other processes
 * held the cores.
 *
 * <pre>
 * mvn -B -pl curio-spring-boot-starter -am test-compile -Dsurefire.failIfNoSpecifiedTests=false
 * mvn -B -pl curio-spring-boot-starter dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * JAVA25/bin/java --add-opens java.base/java.lang=ALL-UNNAMED \
 *   -cp curio-spring-boot-starter/target/test-classes:curio-spring-boot-starter/target/classes:curio-core/target/classes:$(cat /tmp/cp.txt) \
 *   dev.curio.spring.boot.metrics.TaskSwitchCost [pairs=10] [switches=400000] [carrier=auto|owned|default] [stride=32]
 * </pre>
 * {@code stride} is the activation's mean sampling stride of hold times; 1 times every cycle.
 *
 * <p>Single-threaded driver: everything runs on the calling thread and the kernel's tasks.
 */
public final class TaskSwitchCost {

    private TaskSwitchCost() {}

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int switches = args.length > 1 ? Integer.parseInt(args[1]) : 400_000;
        CarrierKind carrier = args.length > 2 ? CarrierKind.valueOf(args[2].toUpperCase(Locale.ROOT)) : CarrierKind.AUTO;
        int stride = args.length > 3 ? Integer.parseInt(args[3]) : CurioKernelMetrics.DEFAULT_SAMPLE_STRIDE;
        System.out.printf("task switch: %d pairs of runs, %d switches a run, carrier %s, hold sampling stride %d, %s%n",
                pairs, switches, carrier, stride, Runtime.version());
        for (int i = 0; i < 5; i++) { // warm-up: both paths compiled before anything counts
            run(true, switches, carrier, stride);
            run(false, switches, carrier, stride);
        }
        List<Double> wallA = new ArrayList<>();
        List<Double> wallB = new ArrayList<>();
        List<Double> cpuA = new ArrayList<>();
        List<Double> cpuB = new ArrayList<>();
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            double[] a = run(true, switches, carrier, stride);
            double[] b = run(false, switches, carrier, stride);
            wallA.add(a[0]);
            wallB.add(b[0]);
            cpuA.add(a[1]);
            cpuB.add(b[1]);
            wallRatios.add(a[0] / b[0]);
            cpuRatios.add(a[1] / b[1]);
            System.out.printf("pair %2d  A (metrics) %7.1f wall %7.1f cpu   B (none) %7.1f wall %7.1f cpu   ns/switch%n",
                    i + 1, a[0], a[1], b[0], b[1]);
        }
        report("wall", wallA, wallB, wallRatios);
        report("cpu ", cpuA, cpuB, cpuRatios);
    }

    private static void report(String what, List<Double> a, List<Double> b, List<Double> ratios) {
        double ma = median(a);
        double mb = median(b);
        System.out.printf("%s median  A %7.1f  B %7.1f ns/switch  overhead %+.1f%%  median of pair ratios %+.1f%%%n",
                what, ma, mb, 100 * (ma / mb - 1), 100 * (median(ratios) - 1));
    }

    /**
     * One run on a fresh kernel; returns wall and process CPU nanoseconds per switch. CPU time
     * leaves out the time other processes held the cores, which dominates wall time on a shared
     * machine.
     */
    private static double[] run(boolean metrics, int switches, CarrierKind carrier, int stride) {
        Kernel.Builder b = Kernel.builder().name(metrics ? "bench-a" : "bench-b").carrier(carrier);
        if (metrics) {
            CurioKernelMetrics m = new CurioKernelMetrics("bench-a", Duration.ofMillis(50), stride);
            m.bindTo(new SimpleMeterRegistry());
            b.activations(m);
        }
        int perTask = switches / 2;
        long[] elapsed = new long[2];
        Curio.run(b, () -> {
            Task<Void> ping = Curio.spawn("ping", () -> yieldTimes(perTask));
            Task<Void> pong = Curio.spawn("pong", () -> yieldTimes(perTask));
            long c0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            ping.join();
            pong.join();
            elapsed[0] = System.nanoTime() - t0;
            elapsed[1] = OS.getProcessCpuTime() - c0;
            return null;
        });
        return new double[] {(double) elapsed[0] / (2L * perTask), (double) elapsed[1] / (2L * perTask)};
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            Curio.sleep(Duration.ZERO);
        }
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
