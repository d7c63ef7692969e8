package dev.curio.sample.prometheus;

import static org.assertj.core.api.Assertions.fail;

import dev.curio.Curio;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.spring.boot.metrics.CurioKernelMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The percentile scenario: one task of a real kernel holds it for known times, cycle after cycle
 * (a busy spin, then a {@code sleep(0)} trap that ends the cycle), in a fixed mix: per 1,000
 * cycles 970 of 12 µs, 25 of 300 µs and 5 of 7 ms, so that p50 falls among the 12 µs holds, p99
 * among the 300 µs ones and p99.9 among the 7 ms ones. Each spin measures itself; the sorted
 * measurements are the truth. The dashboard's percentile queries, answered by Prometheus from the
 * kernel's sampled histogram, must land within one bucket of it.
 */
public final class HoldPercentiles {

    static final int ROUNDS = 100;
    static final double[] QUANTILES = {0.5, 0.99, 0.999};
    private static final String[] PANEL_REFS = {"A", "B", "C"};

    private final long[] truth;
    private final double timed;
    private final List<String> lines = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /** {@code timed}: the hold timer's count, as the instance's own /actuator/prometheus gave it after the holds. */
    public HoldPercentiles(long[] holdNanos, double timed) {
        this.truth = holdNanos.clone();
        Arrays.sort(truth);
        this.timed = timed;
    }

    static long target(int i) {
        if (i % 200 == 100) {
            return TimeUnit.MILLISECONDS.toNanos(7);
        }
        return i % 40 == 0 ? TimeUnit.MICROSECONDS.toNanos(300) : TimeUnit.MICROSECONDS.toNanos(12);
    }

    /** Runs the holds in the application's kernel; returns each cycle's measured spin. */
    public static long[] inject(CurioTasks tasks) throws Exception {
        long[] measured = new long[ROUNDS * 1000];
        tasks.submit("holds", () -> {
            int k = 0;
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < 1000; i++) {
                    long want = target(i);
                    long t0 = System.nanoTime();
                    long t;
                    while ((t = System.nanoTime()) - t0 < want) {
                        Thread.onSpinWait();
                    }
                    measured[k++] = t - t0;
                    Curio.sleep(0); // ends the cycle: the kernel timed (on its sample) this hold
                }
            }
            return null;
        }).get(5, TimeUnit.MINUTES); // a hang guard
        return measured;
    }

    double truth(double q) {
        return truth[(int) Math.ceil(q * truth.length) - 1] / 1e9;
    }

    /** The bucket (by upper bound index, {@code le} semantics) a value falls in; 21 is +Inf. */
    static int bucket(double seconds) {
        List<Duration> b = CurioKernelMetrics.HOLD_BUCKETS;
        for (int i = 0; i < b.size(); i++) {
            if (seconds <= b.get(i).toNanos() / 1e9) {
                return i;
            }
        }
        return b.size();
    }

    static String bucketName(int i) {
        List<Duration> b = CurioKernelMetrics.HOLD_BUCKETS;
        String lo = i == 0 ? "0" : human(b.get(i - 1));
        String hi = i == b.size() ? "+Inf" : human(b.get(i));
        return "(" + lo + ", " + hi + "]";
    }

    private static String human(Duration d) {
        long ns = d.toNanos();
        return ns >= 1_000_000_000 ? ns / 1_000_000_000 + " s" : ns >= 1_000_000 ? ns / 1_000_000 + " ms" : ns / 1000 + " µs";
    }

    /** Evaluates the dashboard's percentile queries for the holds instance on {@code p} at {@code now}. */
    public void check(PrometheusServer p, String scrapeName, GrafanaVariables vars, long now) throws Exception {
        List<DashboardCheck.Query> qs = DashboardCheck.queries(Path.DASHBOARD);
        lines.add("| " + scrapeName + " | timed cycles: " + (long) timed + " (the kernel's whole life) for " + truth.length
                + " holds injected |  |  |  |  |");
        for (int i = 0; i < QUANTILES.length; i++) {
            String key = "Hold time percentiles and maximum/" + PANEL_REFS[i];
            DashboardCheck.Query q = qs.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
            String expr = vars.substitute(q.expr(), q.panelMinInterval());
            List<PromQl.Series> v = p.vector(expr, now);
            double shown = v.isEmpty() ? Double.NaN : v.getFirst().value();
            double t = truth(QUANTILES[i]);
            int off = Double.isFinite(shown) ? Math.abs(bucket(shown) - bucket(t)) : Integer.MAX_VALUE;
            lines.add("| " + scrapeName + " | p" + QUANTILES[i] * 100 + " | `" + expr + "` | "
                    + DashboardCheck.number(shown * 1e6) + " µs " + (Double.isFinite(shown) ? bucketName(bucket(shown)) : "")
                    + " | " + DashboardCheck.number(t * 1e6) + " µs " + bucketName(bucket(t)) + " | "
                    + (off <= 1 ? "ok (" + off + " bucket" + (off == 1 ? "" : "s") + " apart)" : "**off by " + off + "**") + " |");
            if (off > 1) {
                failures.add(scrapeName + " p" + QUANTILES[i] * 100 + ": dashboard " + shown + " s, truth " + t + " s");
            }
        }
    }

    public String markdown() {
        return "| scrape | percentile | query | dashboard (Prometheus) | truth (measured holds) | check |\n"
                + "|---|---|---|---|---|---|\n" + String.join("\n", lines) + "\n";
    }

    public void assertWithinOneBucket() {
        if (!failures.isEmpty()) {
            fail("percentiles more than one bucket from the truth: " + failures + "\n" + markdown());
        }
    }

    /** The dashboard file, as the test finds it from the sample-app module. */
    static final class Path {
        static final java.nio.file.Path DASHBOARD = java.nio.file.Path.of("../curio-actuator/dashboards/curio-dashboard.json");
    }
}
