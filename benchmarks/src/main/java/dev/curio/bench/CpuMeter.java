package dev.curio.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Process CPU time per operation over a benchmark's measurement iterations, printed as a
 * {@code RESULT} line beside JMH's wall-clock score. On a machine shared with other work the
 * wall clock also counts the time the benchmark waited for a core; CPU time does not (it does
 * count the JVM's own threads: the JIT, GC, and with the default carrier, idle carrier threads
 * spinning for work).
 *
 * <p>Thread-safety: used by the benchmark thread only.
 */
final class CpuMeter {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private boolean measuring;
    private long cpuNanos;
    private long ops;
    private long start;

    /** Call from a {@code @Setup(Level.Iteration)}: only measurement iterations count. */
    void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    void begin() {
        if (measuring) {
            start = OS.getProcessCpuTime();
        }
    }

    void end(long opsDone) {
        if (measuring) {
            cpuNanos += OS.getProcessCpuTime() - start;
            ops += opsDone;
        }
    }

    /** Prints {@code RESULT {...}} with the given leading JSON fields (without braces). */
    void print(String fields) {
        print("java", fields);
    }

    /** {@link #print(String)} for another implementation than ours ({@code "kotlin"}). */
    void print(String impl, String fields) {
        if (ops == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "RESULT {\"impl\":\"%s\",%s,\"cpu_ns_per_op\":%.3f,\"cpu_ops\":%d}%n",
                impl, fields, (double) cpuNanos / ops, ops);
    }
}
