package dev.curio.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.spring.boot.metrics.CurioKernelMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's state names (what its {@code state} filter accepts and its table shows) and the
 * {@code curio.tasks.state} gauge's {@code state} tags are the same names: the gauge adds only
 * {@code OTHER} (a library's own state), the endpoint only {@code KERNEL_SERVE} (a system task's,
 * which the gauges leave out).
 */
class TaskStateNamesTest {

    @Test
    void theGaugeAndTheEndpointNameTheSameStates() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new CurioKernelMetrics("names", Duration.ofMillis(50)).bindTo(registry);
        Set<String> gauged = new TreeSet<>();
        for (Meter m : registry.find("curio.tasks.state").meters()) {
            gauged.add(m.getId().getTag("state"));
        }
        Set<String> endpoint = new TreeSet<>(TaskStates.KNOWN);

        assertThat(gauged).contains("OTHER", "QUEUE_GET", "TIME_SLEEP").doesNotContain("KERNEL_SERVE");
        gauged.remove("OTHER");
        endpoint.remove("KERNEL_SERVE");
        assertThat(gauged).isEqualTo(endpoint);
    }
}
