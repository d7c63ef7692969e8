package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The shipped Grafana dashboard against a running application: every metric any of its queries
 * (panels and template variables) names is in a real scrape of {@code /actuator/prometheus}, and
 * every panel reads the {@code datasource} template variable, so that the file works both imported
 * and provisioned (SPRING-BOOT-4.md §7). Same application as {@link CurioEndpointReadOnlyHttpTest}.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=curio,health,prometheus",
        "management.endpoint.health.show-details=always", "curio.kernel-name=web"})
@AutoConfigureMetrics
class CurioDashboardTest {

    static final Path DASHBOARD = Path.of("../observability/grafana/dashboards/curio-dashboard.json");

    /** A metric selector {@code name{...}} or the metric of {@code label_values(name, ...)}. */
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{|label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)");

    @LocalServerPort
    int port;

    private static JsonNode dashboard() throws Exception {
        return TestApp.JSON.readTree(Files.readString(DASHBOARD));
    }

    private static void collect(JsonNode node, String field, List<JsonNode> out) {
        if (node.isObject()) {
            for (var e : node.properties()) {
                if (e.getKey().equals(field)) {
                    out.add(e.getValue());
                }
                collect(e.getValue(), field, out);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, field, out));
        }
    }

    static Set<String> queriedMetrics(JsonNode dash) {
        List<String> queries = new ArrayList<>();
        List<JsonNode> exprs = new ArrayList<>();
        collect(dash, "expr", exprs);
        exprs.forEach(e -> queries.add(e.asString()));
        List<JsonNode> defs = new ArrayList<>();
        collect(dash.get("templating"), "definition", defs);
        defs.forEach(d -> queries.add(d.asString()));
        Set<String> names = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                names.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws Exception {
        Set<String> metrics = queriedMetrics(dashboard());
        assertThat(metrics).contains("curio_tasks_created_tasks_total", "curio_tasks_terminated_tasks_total",
                "curio_tasks_state_tasks", "curio_tasks_active_tasks", "curio_ready_queue_tasks",
                "curio_scheduler_hold_seconds_bucket", "curio_scheduler_hold_seconds_max",
                "curio_scheduler_cycles_total", "curio_scheduler_long_blocks_total", "curio_workers_busy",
                "curio_workers_calls_total", "curio_tasks_stepped_out_tasks", "curio_scheduler_step_out_seconds_bucket");
        TestApp.Answer scrape = TestApp.get(port, "/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.body().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(exported).as("metrics in the scrape").containsAll(metrics);
        assertThat(scrape.body()).contains("curio_tasks_state_tasks{kernel=\"web\",state=\"TIME_SLEEP\"}")
                .contains("curio_tasks_terminated_tasks_total{kernel=\"web\",outcome=\"cancelled\"}");
    }

    @Test
    void theDashboardWorksImportedAndProvisioned() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.get("id").isNull()).isTrue();
        assertThat(d.get("uid").asString()).isEqualTo("curio-jvm-kernel").hasSizeLessThanOrEqualTo(40);
        assertThat(d.has("__inputs")).as("no import-only inputs").isFalse();
        JsonNode vars = d.get("templating").get("list");
        assertThat(vars.get(0).get("name").asString()).isEqualTo("datasource");
        assertThat(vars.get(0).get("type").asString()).isEqualTo("datasource");
        assertThat(vars.get(0).get("query").asString()).isEqualTo("prometheus");
        List<JsonNode> sources = new ArrayList<>();
        collect(d, "datasource", sources);
        assertThat(sources).isNotEmpty().allSatisfy(ds -> {
            if (ds.isObject()) {
                assertThat(ds.get("uid").asString()).isEqualTo("${datasource}");
                assertThat(ds.get("type").asString()).isEqualTo("prometheus");
            }
        });
        List<JsonNode> exprs = new ArrayList<>();
        collect(d, "expr", exprs);
        assertThat(exprs).allSatisfy(e -> assertThat(e.asString()).contains("kernel=~\"$kernel\"").contains("instance=~\"$instance\""));
        List<JsonNode> panels = new ArrayList<>();
        d.get("panels").forEach(panels::add);
        assertThat(panels).extracting(p -> p.get("title").asString()).contains(
                "Tasks created", "Tasks terminated by outcome", "Active tasks by state",
                "Hold time percentiles and maximum", "Hold time p99 per instance", "Cycles", "Long blocks",
                "Tasks out of the kernel", "Time out of the kernel p50 and p99",
                "Worker pools: busy, live, maximum and queued", "Worker calls");
    }

    /** Panels' queries, by panel title. */
    private static java.util.Map<String, List<String>> queriesByPanel(JsonNode d) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        d.get("panels").forEach(p -> {
            List<JsonNode> exprs = new ArrayList<>();
            collect(p, "expr", exprs);
            if (!exprs.isEmpty()) {
                out.put(p.get("title").asString(), exprs.stream().map(JsonNode::asString).toList());
            }
        });
        return out;
    }

    @Test
    void longBlocksHaveAPanelOfTheirOwnAndTheSampledHistogramWideWindows() throws Exception {
        JsonNode d = dashboard();
        var queries = queriesByPanel(d);
        // long blocks (a few a minute) never share an axis with cycles (thousands a second)
        assertThat(queries.get("Long blocks")).isNotEmpty()
                .allSatisfy(q -> assertThat(q).contains("curio_scheduler_long_blocks_total").doesNotContain("cycles"));
        assertThat(queries).allSatisfy((title, qs) -> {
            if (!title.startsWith("Long blocks")) {
                assertThat(qs).as(title).noneSatisfy(q -> assertThat(q).contains("long_blocks"));
            }
        });
        // the hold histogram gets about 1 timed cycle in 32: its rate windows are at least a
        // minute (Grafana's $__rate_interval is then at least 1m + one scrape interval), never
        // the 4 s $__rate_interval of a 1 s scrape, which held no timed cycle and gave NaN
        d.get("panels").forEach(p -> {
            List<JsonNode> exprs = new ArrayList<>();
            collect(p, "expr", exprs);
            if (exprs.stream().anyMatch(e -> e.asString().contains("curio_scheduler_hold_seconds_bucket")
                    || e.asString().contains("curio_scheduler_hold_seconds_count"))) {
                assertThat(p.get("interval")).as(p.get("title").asString()).isNotNull();
                assertThat(p.get("interval").asString()).as(p.get("title").asString()).isEqualTo("1m");
            }
        });
        assertThat(d.get("description").asString()).contains("jsonData.timeInterval");
    }

    @Test
    void tasksOutOfTheKernelAndTheirTimeOutArePerKernel() throws Exception {
        var queries = queriesByPanel(dashboard());
        assertThat(queries.get("Tasks out of the kernel")).singleElement().isEqualTo(
                "sum by (instance, kernel) (curio_tasks_stepped_out_tasks{instance=~\"$instance\",kernel=~\"$kernel\"})");
        assertThat(queries.get("Time out of the kernel p50 and p99")).containsExactly(
                "histogram_quantile(0.5, sum by (instance, kernel, le) (rate(curio_scheduler_step_out_seconds_bucket"
                        + "{instance=~\"$instance\",kernel=~\"$kernel\"}[$__rate_interval])))",
                "histogram_quantile(0.99, sum by (instance, kernel, le) (rate(curio_scheduler_step_out_seconds_bucket"
                        + "{instance=~\"$instance\",kernel=~\"$kernel\"}[$__rate_interval])))");
        // time out of the kernel is not time holding it: no hold metric on these panels, and no
        // step out on the hold panels
        assertThat(queries).allSatisfy((title, qs) -> assertThat(qs).as(title).allSatisfy(q -> assertThat(
                q.contains("step_out") && q.contains("hold")).isFalse()));
        JsonNode d = dashboard();
        d.get("panels").forEach(p -> {
            if (p.get("title").asString().equals("Time out of the kernel p50 and p99")) {
                assertThat(p.get("fieldConfig").get("defaults").get("unit").asString()).isEqualTo("s");
            }
        });
    }

    @Test
    void instancesAreShownOneByOneAndSummed() throws Exception {
        var queries = queriesByPanel(dashboard());
        for (String panel : List.of("Tasks created", "Cycles", "Long blocks", "Worker calls")) {
            assertThat(queries.get(panel)).as(panel)
                    .anySatisfy(q -> assertThat(q).contains("by (instance"))
                    .anySatisfy(q -> assertThat(q).doesNotContain("instance,").doesNotContain("by (instance"));
        }
        assertThat(queries.get("Hold time p99 per instance")).singleElement()
                .satisfies(q -> assertThat(q).contains("by (instance, kernel, le)"));
        assertThat(queries.get("Instances")).singleElement()
                .satisfies(q -> assertThat(q).startsWith("count(count by (instance)"));
    }
}
