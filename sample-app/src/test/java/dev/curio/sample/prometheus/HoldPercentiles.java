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
    private final long[] injected;
    private final double timed;
    private final List<String> lines = new ArrayList<>();
    private final List<String> histograms = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /** {@code timed}: the hold timer's count, as the instance's own /actuator/prometheus gave it after the holds. */
    public HoldPercentiles(long[] holdNanos, double timed) {
        this.injected = holdNanos.clone();
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
        histograms.add(windowBuckets(p, scrapeName, vars, qs, now));
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
            lines.add("| " + scrapeName + " | " + percentileName(QUANTILES[i]) + " | `" + expr + "` | "
                    + DashboardCheck.number(shown * 1e6) + " µs " + (Double.isFinite(shown) ? bucketName(bucket(shown)) : "")
                    + " | " + DashboardCheck.number(t * 1e6) + " µs " + bucketName(bucket(t)) + " | "
                    + (off <= 1 ? "ok (" + off + " bucket" + (off == 1 ? "" : "s") + " apart)" : "**off by " + off + "**") + " |");
            if (off > 1) {
                failures.add(scrapeName + " " + percentileName(QUANTILES[i]) + ": dashboard " + shown + " s, truth " + t + " s");
            }
        }
    }

    static String percentileName(double q) {
        return "p" + java.math.BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /**
     * The timed holds of the scrape's window as Prometheus has them: the increase of each bucket
     * over the hold panel's rate window (not checked; the report shows where the samples fell).
     */
    private String windowBuckets(PrometheusServer p, String scrapeName, GrafanaVariables vars, List<DashboardCheck.Query> qs,
            long now) throws Exception {
        DashboardCheck.Query q = qs.stream().filter(x -> x.key().equals("Hold time percentiles and maximum/A")).findFirst()
                .orElseThrow();
        String window = GrafanaVariables.format(vars.rateInterval(q.panelMinInterval()));
        String expr = "sum by (le) (increase(curio_scheduler_hold_seconds_bucket{instance=\"" + vars.instance()
                + "\",kernel=\"" + vars.kernel() + "\"}[" + window + "]))";
        java.util.TreeMap<Double, Double> cumulative = new java.util.TreeMap<>();
        for (PromQl.Series s : p.vector(expr, now)) {
            String le = s.labels().get("le");
            cumulative.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value());
        }
        StringBuilder b = new StringBuilder(scrapeName + " scrape, `" + expr + "`: timed holds per bucket (extrapolated by increase()): ");
        double below = 0;
        List<String> cells = new ArrayList<>();
        for (var e : cumulative.entrySet()) {
            double n = e.getValue() - below;
            below = e.getValue();
            if (n > 0.5) {
                cells.add(bucketName(bucket(e.getKey())) + " " + Math.round(n));
            }
        }
        return b.append(cells.isEmpty() ? "none" : String.join(", ", cells)).toString();
    }

    /** The injected mix: per target hold, how many cycles, the measured spins' range and their bucket(s). */
    private String injectedMix() {
        StringBuilder b = new StringBuilder("| target hold | cycles | measured min | measured max | bucket(s) of the measured holds |\n"
                + "|---|---|---|---|---|\n");
        for (long want : new long[] {TimeUnit.MICROSECONDS.toNanos(12), TimeUnit.MICROSECONDS.toNanos(300),
                TimeUnit.MILLISECONDS.toNanos(7)}) {
            long n = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int k = 0; k < injected.length; k++) {
                if (target(k % 1000) == want) {
                    n++;
                    min = Math.min(min, injected[k]);
                    max = Math.max(max, injected[k]);
                }
            }
            String buckets = bucket(min / 1e9) == bucket(max / 1e9) ? bucketName(bucket(min / 1e9))
                    : bucketName(bucket(min / 1e9)) + " to " + bucketName(bucket(max / 1e9));
            b.append("| ").append(human(Duration.ofNanos(want))).append(" | ").append(n).append(" | ")
                    .append(DashboardCheck.number(min / 1e3)).append(" µs | ").append(DashboardCheck.number(max / 1e3))
                    .append(" µs | ").append(buckets).append(" |\n");
        }
        return b.toString();
    }

    public String markdown() {
        return "Injected holds (" + injected.length + " cycles of one task in the in-JVM instance's kernel `holds`):\n\n"
                + injectedMix() + "\nHold-time bucket bounds (`le`): " + CurioKernelMetrics.HOLD_BUCKETS.stream()
                        .map(HoldPercentiles::human).toList() + ", +Inf\n\n"
                + "| scrape | percentile | query | dashboard (Prometheus) | truth (measured holds) | check |\n"
                + "|---|---|---|---|---|---|\n" + String.join("\n", lines) + "\n\n"
                + String.join("\n\n", histograms) + "\n";
    }

    public void assertWithinOneBucket() {
        if (!failures.isEmpty()) {
            fail("percentiles more than one bucket from the truth: " + failures + "\n" + markdown());
        }
    }

    /** The dashboard file, as the test finds it from the sample-app module. */
    static final class Path {
        static final java.nio.file.Path DASHBOARD = java.nio.file.Path.of("../observability/grafana/dashboards/curio-dashboard.json");
    }
}
