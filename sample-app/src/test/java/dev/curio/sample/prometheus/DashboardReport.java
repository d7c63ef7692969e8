package dev.curio.sample.prometheus;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The dashboard's panel queries checked on one Prometheus at given instants, collected into one
 * report so that a failure shows every panel, not only the first wrong one.
 */
public final class DashboardReport {

    /** Meters that change only when the kernel works: after the demo jobs they hold still. */
    private static final String STILL = "curio_(tasks_created_tasks_total|tasks_terminated_tasks_total|tasks_active_tasks"
            + "|tasks_state_tasks|ready_queue_tasks|scheduler_cycles_total|scheduler_long_blocks_total"
            + "|scheduler_hold_seconds_count|workers_calls_total)";

    private final List<DashboardCheck.Query> queries;
    private final List<SampleAppProcess> apps;
    private final List<DashboardCheck.Row> rows = new ArrayList<>();

    public DashboardReport(Path dashboard, List<SampleAppProcess> apps) throws Exception {
        this.queries = DashboardCheck.queries(dashboard);
        this.apps = apps;
    }

    private List<String> instances() {
        return apps.stream().map(SampleAppProcess::target).toList();
    }

    /**
     * Waits until {@code p}'s newest sample of every still meter of every application equals the
     * application's own value: the event that it scraped them after they went still.
     */
    public void awaitCaughtUp(PrometheusServer p) throws Exception {
        long bound = System.nanoTime() + TimeUnit.MINUTES.toNanos(4); // a hang guard
        String diff;
        while ((diff = difference(p)) != null) {
            if (System.nanoTime() > bound) {
                fail("Prometheus never caught up with the applications: " + diff);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // between two polls of an HTTP API
        }
    }

    private String difference(PrometheusServer p) throws Exception {
        for (SampleAppProcess app : apps) {
            Map<String, Double> own = new TreeMap<>();
            app.scrape().forEach((k, v) -> {
                if (k.matches(STILL + "\\{.*")) {
                    own.put(k, v);
                }
            });
            Map<String, Double> scraped = new TreeMap<>();
            for (PromQl.Series s : p.vector("{__name__=~\"" + STILL + "\",instance=\"" + app.target() + "\"}",
                    System.currentTimeMillis())) {
                Map<String, String> l = new TreeMap<>(s.labels());
                String name = l.remove("__name__");
                l.remove("instance");
                l.remove("job");
                scraped.put(SampleAppProcess.key(name, l), s.value());
            }
            if (own.isEmpty() || !own.equals(scraped)) {
                return app.target() + " reports " + own + ", Prometheus has " + scraped;
            }
        }
        return null;
    }

    /** Evaluates every panel query at {@code evalMillis}. */
    public void check(PrometheusServer p, String scrape, String when, GrafanaVariables vars, long evalMillis) throws Exception {
        for (DashboardCheck.Query q : queries) {
            rows.add(DashboardCheck.evaluate(p, scrape, when, vars, q, evalMillis, instances()));
        }
    }

    /**
     * What is known without Prometheus, at an instant when the applications were still: the
     * instances, the long blocks the demo caused, each instance's tasks created and active tasks as
     * its own {@code /actuator/prometheus} says, and each summed panel the sum of its per-instance one.
     */
    public void checkKnown(String scrape, PrometheusServer p, long evalMillis, GrafanaVariables vars, int longBlocks)
            throws Exception {
        List<PromQl.Series> perInstanceCreated = new ArrayList<>();
        List<PromQl.Series> perInstanceActive = new ArrayList<>();
        for (SampleAppProcess app : apps) {
            Map<String, Double> own = app.scrape();
            Map<String, String> labels = Map.of("instance", app.target(), "kernel", "sample");
            perInstanceCreated.add(new PromQl.Series(labels,
                    own.get(SampleAppProcess.key("curio_tasks_created_tasks_total", Map.of("kernel", "sample")))));
            perInstanceActive.add(new PromQl.Series(labels,
                    own.get(SampleAppProcess.key("curio_tasks_active_tasks", Map.of("kernel", "sample")))));
        }
        known(p, scrape, "counter vs the apps", "sum by (instance, kernel) (curio_tasks_created_tasks_total{kernel=\"sample\"})",
                evalMillis, perInstanceCreated, 0);
        known(p, scrape, "Active tasks and ready queue per instance/A vs the apps",
                vars.substitute(query("Active tasks and ready queue per instance/A").expr(), null), evalMillis, perInstanceActive, 0);
        known(p, scrape, "Instances/A vs 2 instances", vars.substitute(query("Instances/A").expr(), null), evalMillis,
                List.of(new PromQl.Series(Map.of(), apps.size())), 0);
        // The panel's increase() extrapolates to the window's edges (3 blocks read 3.0-3.8 at a 15 s scrape), and is
        // checked against PromQl's extrapolation with the other panels; here the raw counter holds every posted block
        // (at least: a loaded machine may add a block of its own).
        known(p, scrape, "long blocks counter vs at least " + longBlocks + " blocks posted",
                "sum(curio_scheduler_long_blocks_total{kernel=\"sample\"}) >= bool " + longBlocks, evalMillis,
                List.of(new PromQl.Series(Map.of(), 1)), 0);
        for (String panel : List.of("Tasks created", "Cycles", "Long blocks")) {
            DashboardCheck.Query perInstance = query(panel + "/A");
            List<PromQl.Series> parts = p.vector(vars.substitute(perInstance.expr(), perInstance.panelMinInterval()), evalMillis);
            double sum = parts.stream().mapToDouble(PromQl.Series::value).sum();
            DashboardCheck.Query total = query(panel + "/B");
            known(p, scrape, panel + "/B vs the sum of " + panel + "/A",
                    vars.substitute(total.expr(), total.panelMinInterval()), evalMillis,
                    List.of(new PromQl.Series(Map.of(), sum)), 1e-9 * Math.max(1, sum));
        }
    }

    private void known(PrometheusServer p, String scrape, String key, String expr, long evalMillis,
            List<PromQl.Series> expected, double tolerance) throws Exception {
        List<PromQl.Series> actual = DashboardCheck.sorted(p.vector(expr, evalMillis));
        List<PromQl.Series> want = DashboardCheck.sorted(expected);
        String problem = null;
        if (actual.isEmpty()) {
            problem = "no data";
        } else if (actual.size() != want.size()) {
            problem = "series differ";
        } else {
            for (int i = 0; i < actual.size(); i++) {
                if (!actual.get(i).labels().equals(want.get(i).labels())) {
                    problem = "series differ";
                } else if (Math.abs(actual.get(i).value() - want.get(i).value()) > tolerance) {
                    problem = "wrong value";
                }
            }
        }
        rows.add(new DashboardCheck.Row(scrape, "known", key, expr, actual, want, problem));
    }

    private DashboardCheck.Query query(String key) {
        return queries.stream().filter(q -> q.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("the dashboard has no query " + key));
    }

    public String markdown() {
        return DashboardCheck.markdown(rows);
    }

    public void assertAllOk() {
        List<DashboardCheck.Row> bad = rows.stream().filter(r -> !r.ok()).toList();
        if (!bad.isEmpty()) {
            fail(bad.size() + " of " + rows.size() + " dashboard checks failed:\n" + DashboardCheck.markdown(bad));
        }
        if (rows.isEmpty()) {
            fail("no dashboard query was checked");
        }
    }
}
