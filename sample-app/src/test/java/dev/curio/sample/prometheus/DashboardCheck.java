package dev.curio.sample.prometheus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every panel query of the shipped Grafana dashboard, evaluated by a real Prometheus with Grafana's
 * variables substituted, against the value the test computes from the raw samples
 * ({@link PanelExpectations}). Each evaluation is a {@link Row} of the report.
 */
final class DashboardCheck {

    /** One panel query. */
    record Query(String key, String expr, String panelMinInterval) {}

    /** One evaluated query: what Prometheus answered and what it should have. */
    record Row(String scrape, String when, String key, String query, List<PromQl.Series> actual,
            List<PromQl.Series> expected, String problem) {

        boolean ok() {
            return problem == null;
        }
    }

    static List<Query> queries(Path dashboard) throws Exception {
        JsonNode d = JsonMapper.builder().build().readTree(Files.readString(dashboard));
        List<Query> out = new ArrayList<>();
        for (JsonNode p : d.get("panels")) {
            if (!p.has("targets")) {
                continue;
            }
            String min = p.has("interval") ? p.get("interval").asString() : null;
            for (JsonNode t : p.get("targets")) {
                out.add(new Query(p.get("title").asString() + "/" + t.get("refId").asString(), t.get("expr").asString(), min));
            }
        }
        return out;
    }

    /** Evaluates {@code q} at {@code evalMillis}; {@code instances}: the instances a per-instance answer must show. */
    static Row evaluate(PrometheusServer prom, String scrape, String when, GrafanaVariables vars, Query q, long evalMillis,
            List<String> instances) throws Exception {
        String expr = vars.substitute(q.expr(), q.panelMinInterval());
        List<PromQl.Series> actual = sorted(prom.vector(expr, evalMillis));
        PanelExpectations.Expectation e = PanelExpectations.ALL.get(q.key());
        if (e == null) {
            return new Row(scrape, when, q.key(), expr, actual, List.of(), "no expectation in PanelExpectations for this query");
        }
        String selector = "{instance=~\"" + vars.instance() + "\",kernel=~\"" + vars.kernel() + "\"}";
        Duration rateInterval = vars.rateInterval(q.panelMinInterval());
        List<PromQl.Series> expected = sorted(e.expected(new PanelExpectations.Context() {
            @Override
            public List<PromQl.Raw> raw(String metric, Duration range) throws Exception {
                return prom.matrix(metric + selector + "[" + GrafanaVariables.format(range) + "]", evalMillis);
            }

            @Override
            public Duration rateInterval() {
                return rateInterval;
            }

            @Override
            public Duration range() {
                return vars.range();
            }

            @Override
            public long evalMillis() {
                return evalMillis;
            }
        }));
        return new Row(scrape, when, q.key(), expr, actual, expected, problem(actual, expected, instances));
    }

    private static String problem(List<PromQl.Series> actual, List<PromQl.Series> expected, List<String> instances) {
        if (actual.isEmpty()) {
            return "no data";
        }
        if (actual.stream().anyMatch(s -> !Double.isFinite(s.value()))) {
            return "not a number";
        }
        if (actual.size() != expected.size()) {
            return "series differ";
        }
        for (int i = 0; i < actual.size(); i++) {
            PromQl.Series a = actual.get(i);
            PromQl.Series x = expected.get(i);
            if (!a.labels().equals(x.labels())) {
                return "series differ";
            }
            if (Math.abs(a.value() - x.value()) > 1e-9 * Math.max(1, Math.abs(x.value()))) {
                return "wrong value";
            }
        }
        if (actual.getFirst().labels().containsKey("instance")) {
            List<String> shown = actual.stream().map(s -> s.labels().get("instance")).distinct().toList();
            if (!shown.containsAll(instances)) {
                return "instances missing: shows " + shown;
            }
        }
        return null;
    }

    static List<PromQl.Series> sorted(List<PromQl.Series> v) {
        return v.stream().map(s -> new PromQl.Series(new TreeMap<>(s.labels()), s.value()))
                .sorted(Comparator.comparing(s -> s.labels().toString())).toList();
    }

    static String format(List<PromQl.Series> v) {
        return v.stream().map(s -> (s.labels().isEmpty() ? "" : labels(s.labels()) + " ") + number(s.value()))
                .collect(Collectors.joining("; "));
    }

    private static String labels(Map<String, String> l) {
        return l.entrySet().stream().map(e -> e.getKey().equals("instance") ? e.getValue().replace("127.0.0.1", "")
                : e.getValue()).collect(Collectors.joining(" "));
    }

    static String number(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return Math.abs(v) >= 0.01 && Math.abs(v) < 1e6 ? String.format("%.4f", v) : String.format("%.4g", v);
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| scrape | when | panel/ref | query (variables substituted) | Prometheus | expected | check |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.scrape()).append(" | ").append(r.when()).append(" | ").append(r.key()).append(" | `")
                    .append(r.query().replace("|", "\\|")).append("` | ").append(format(r.actual())).append(" | ")
                    .append(format(r.expected())).append(" | ").append(r.ok() ? "ok" : "**" + r.problem() + "**").append(" |\n");
        }
        return b.toString();
    }
}
