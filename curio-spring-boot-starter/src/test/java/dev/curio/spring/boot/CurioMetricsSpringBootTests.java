package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A whole Boot application: the starter found through AutoConfiguration.imports, Boot's own
 * metrics auto-configuration binding the kernel's MeterBinder, tasks run through
 * {@link CurioTasks}, the metrics read back from the application's {@link MeterRegistry} and from
 * a Prometheus scrape ({@code @AutoConfigureMetrics} turns exporters on in tests).
 */
@SpringBootTest(properties = "curio.kernel-name=shop")
@AutoConfigureMetrics
class CurioMetricsSpringBootTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @Autowired
    CurioTasks tasks;

    @Autowired
    MeterRegistry registry;

    @Autowired
    PrometheusMeterRegistry prometheus;

    @Autowired
    Kernel kernel;

    private double terminated(String outcome) {
        return registry.get("curio.tasks.terminated").tag("kernel", "shop").tag("outcome", outcome)
                .functionCounter().count();
    }

    @Test
    void tasksRunThroughTheFacadeShowInTheRegistryAndTheScrape() throws Exception {
        double success = terminated("success");
        double error = terminated("error");
        double timeout = terminated("timeout");
        double created = registry.get("curio.tasks.created").tag("kernel", "shop").functionCounter().count();

        List<CompletableFuture<Integer>> ok = List.of(
                tasks.submit("square", () -> 7 * 7),
                tasks.submit("sum", () -> Curio.spawn("child", () -> 1).join() + 1));
        CompletableFuture<Object> bad = tasks.submit("bad", () -> {
            throw new IllegalArgumentException("no");
        });
        CompletableFuture<Object> late = tasks.submit("late", () ->
                Curio.timeoutAfter(java.time.Duration.ofMillis(1), () -> {
                    Curio.sleep(java.time.Duration.ofHours(1));
                    return null;
                }));
        assertThat(ok.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(49);
        assertThat(ok.get(1).get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(dev.curio.TaskTimeout.class);
        Kernels.settle(kernel);

        // square, sum and sum's child returned; bad raised; late's timeout escaped it
        assertThat(terminated("success") - success).isEqualTo(3);
        assertThat(terminated("error") - error).isEqualTo(1);
        assertThat(terminated("timeout") - timeout).isEqualTo(1);
        assertThat(registry.get("curio.tasks.created").tag("kernel", "shop").functionCounter().count() - created)
                .isEqualTo(5);
        // only the kernel's serving task is left, a system task: not counted
        assertThat(registry.get("curio.tasks.active").tag("kernel", "shop").gauge().value()).isZero();
        assertThat(registry.find("curio.tasks.state").tag("state", "KERNEL_SERVE").meters()).isEmpty();
        assertThat(registry.get("curio.scheduler.hold").tag("kernel", "shop").timer().count()).isPositive();

        String scrape = prometheus.scrape();
        List<String> lines = Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith("curio_")).toList();
        assertThat(lines).contains(
                "curio_tasks_terminated_tasks_total{kernel=\"shop\",outcome=\"cancelled\"} " + fmt(terminated("cancelled")),
                "curio_tasks_terminated_tasks_total{kernel=\"shop\",outcome=\"error\"} " + fmt(terminated("error")),
                "curio_tasks_active_tasks{kernel=\"shop\"} 0.0",
                "curio_tasks_state_tasks{kernel=\"shop\",state=\"OTHER\"} 0.0",
                "curio_ready_queue_tasks{kernel=\"shop\"} 0.0",
                "curio_scheduler_long_blocks_total{kernel=\"shop\"} "
                        + fmt(registry.get("curio.scheduler.long.blocks").functionCounter().count()));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("curio_tasks_created_tasks_total{kernel=\"shop\"} "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("curio_scheduler_cycles_total{kernel=\"shop\"} "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("curio_scheduler_hold_seconds_count{kernel=\"shop\"} "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("curio_scheduler_hold_seconds_sum{kernel=\"shop\"} "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("curio_scheduler_hold_seconds_max{kernel=\"shop\"} "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("curio_scheduler_hold_seconds_bucket{kernel=\"shop\",le=\"1.0E-6\"} "));
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("curio_scheduler_hold_max_seconds"));
    }

    private static String fmt(double v) {
        return Double.toString(v);
    }
}
