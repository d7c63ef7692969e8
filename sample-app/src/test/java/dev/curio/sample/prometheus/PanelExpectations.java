package dev.curio.sample.prometheus;

import static dev.curio.sample.prometheus.PromQl.countBy;
import static dev.curio.sample.prometheus.PromQl.divide;
import static dev.curio.sample.prometheus.PromQl.histogramQuantile;
import static dev.curio.sample.prometheus.PromQl.last;
import static dev.curio.sample.prometheus.PromQl.maxBy;
import static dev.curio.sample.prometheus.PromQl.positive;
import static dev.curio.sample.prometheus.PromQl.rate;
import static dev.curio.sample.prometheus.PromQl.sumBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What each query of the shipped dashboard must answer, computed by the test from the raw samples
 * Prometheus holds (the application's own scraped values) with {@link PromQl}, keyed by
 * "panel title/refId". A query the dashboard gains without an entry here fails the test, so that
 * every panel stays checked.
 */
final class PanelExpectations {

    /** The raw samples of the selected series of one metric, and the windows Grafana would use. */
    interface Context {
        List<PromQl.Raw> raw(String metric, Duration range) throws Exception;

        /** The panel's {@code $__rate_interval}. */
        Duration rateInterval();

        Duration range();

        long evalMillis();
    }

    @FunctionalInterface
    interface Expectation {
        List<PromQl.Series> expected(Context c) throws Exception;
    }

    private static final Duration LOOKBACK = Duration.ofMinutes(5); // Prometheus's default lookback delta

    private static List<PromQl.Series> now(Context c, String metric) throws Exception {
        return last(c.raw(metric, LOOKBACK));
    }

    private static List<PromQl.Series> rateOf(Context c, String metric) throws Exception {
        return rate(c.raw(metric, c.rateInterval()), c.rateInterval().toMillis(), c.evalMillis(), true);
    }

    private static Expectation quantile(double q, String... by) {
        return c -> histogramQuantile(q, sumBy(rateOf(c, "curio_scheduler_hold_seconds_bucket"), by));
    }

    static final Map<String, Expectation> ALL = Map.ofEntries(
            Map.entry("Instances/A", c -> countBy(countBy(now(c, "curio_tasks_active_tasks"), "instance"))),
            Map.entry("Active tasks/A", c -> sumBy(now(c, "curio_tasks_active_tasks"))),
            Map.entry("Ready queue/A", c -> sumBy(now(c, "curio_ready_queue_tasks"))),
            Map.entry("Longest timed hold/A", c -> maxBy(now(c, "curio_scheduler_hold_seconds_max"))),
            Map.entry("Long blocks (range)/A", c -> sumBy(rate(c.raw("curio_scheduler_long_blocks_total", c.range()),
                    c.range().toMillis(), c.evalMillis(), false))),
            Map.entry("Tasks created/A", c -> sumBy(rateOf(c, "curio_tasks_created_tasks_total"), "instance", "kernel")),
            Map.entry("Tasks created/B", c -> sumBy(rateOf(c, "curio_tasks_created_tasks_total"))),
            Map.entry("Tasks terminated by outcome/A", c -> sumBy(rateOf(c, "curio_tasks_terminated_tasks_total"), "outcome")),
            Map.entry("Active tasks by state/A", c -> positive(sumBy(now(c, "curio_tasks_state_tasks"), "state"))),
            Map.entry("Active tasks and ready queue per instance/A",
                    c -> sumBy(now(c, "curio_tasks_active_tasks"), "instance", "kernel")),
            Map.entry("Active tasks and ready queue per instance/B",
                    c -> sumBy(now(c, "curio_ready_queue_tasks"), "instance", "kernel")),
            Map.entry("Hold time percentiles and maximum/A", quantile(0.5, "le")),
            Map.entry("Hold time percentiles and maximum/B", quantile(0.99, "le")),
            Map.entry("Hold time percentiles and maximum/C", quantile(0.999, "le")),
            Map.entry("Hold time percentiles and maximum/D", c -> divide(sumBy(rateOf(c, "curio_scheduler_hold_seconds_sum")),
                    sumBy(rateOf(c, "curio_scheduler_hold_seconds_count")))),
            Map.entry("Hold time percentiles and maximum/E", c -> maxBy(now(c, "curio_scheduler_hold_seconds_max"))),
            Map.entry("Hold time p99 per instance/A", quantile(0.99, "instance", "kernel", "le")),
            Map.entry("Cycles/A", c -> sumBy(rateOf(c, "curio_scheduler_cycles_total"), "instance", "kernel")),
            Map.entry("Cycles/B", c -> sumBy(rateOf(c, "curio_scheduler_cycles_total"))),
            Map.entry("Long blocks/A", c -> sumBy(rateOf(c, "curio_scheduler_long_blocks_total"), "instance", "kernel")),
            Map.entry("Long blocks/B", c -> sumBy(rateOf(c, "curio_scheduler_long_blocks_total"))),
            Map.entry("Tasks out of the kernel/A", c -> sumBy(now(c, "curio_tasks_stepped_out_tasks"), "instance", "kernel")),
            Map.entry("Time out of the kernel p50 and p99/A", c -> histogramQuantile(0.5,
                    sumBy(rateOf(c, "curio_scheduler_step_out_seconds_bucket"), "instance", "kernel", "le"))),
            Map.entry("Time out of the kernel p50 and p99/B", c -> histogramQuantile(0.99,
                    sumBy(rateOf(c, "curio_scheduler_step_out_seconds_bucket"), "instance", "kernel", "le"))),
            Map.entry("Worker pools: busy, live, maximum and queued/A", c -> sumBy(now(c, "curio_workers_busy"), "pool")),
            Map.entry("Worker pools: busy, live, maximum and queued/B", c -> sumBy(now(c, "curio_workers_live"), "pool")),
            Map.entry("Worker pools: busy, live, maximum and queued/C", c -> sumBy(now(c, "curio_workers_max"), "pool")),
            Map.entry("Worker pools: busy, live, maximum and queued/D", c -> sumBy(now(c, "curio_workers_queued"), "pool")),
            Map.entry("Worker calls/A", c -> sumBy(rateOf(c, "curio_workers_calls_total"), "instance", "pool")),
            Map.entry("Worker calls/B", c -> sumBy(rateOf(c, "curio_workers_calls_total"), "pool")));

    private PanelExpectations() {}
}
