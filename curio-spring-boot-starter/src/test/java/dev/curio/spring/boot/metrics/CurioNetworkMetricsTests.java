package dev.curio.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.kernel.Kernel;
import dev.curio.net.NetworkStatistics;
import dev.curio.spring.boot.CurioAutoConfiguration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The servers' accept-error counter: auto-configured with the other metrics, tagged with the
 * kernel, reading that kernel's {@link NetworkStatistics} (which the fd-starved server test in
 * curio-core drives for real), and gone with {@code curio.metrics.enabled=false}.
 */
class CurioNetworkMetricsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
            .withPropertyValues("curio.kernel-name=net");

    @Test
    void registersTheAcceptErrorCounterOfTheKernel() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(CurioNetworkMetrics.class);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ctx.getBean(CurioNetworkMetrics.class).bindTo(registry);
            FunctionCounter c = registry.get("curio.net.accept.errors").tags("kernel", "net").functionCounter();
            assertThat(c.getId().getDescription()).startsWith("Failed accepts of the kernel's servers");
            assertThat(c.getId().getBaseUnit()).isEqualTo("errors");
            Kernel kernel = ctx.getBean(Kernel.class);
            assertThat(c.count()).isEqualTo((double) NetworkStatistics.of(kernel).acceptErrors()).isZero();
        });
    }

    @Test
    void backsOffForAUsersBeanAndWhenMetricsAreDisabled() {
        try (Kernel other = Kernel.builder().name("other").build()) {
            runner.withBean("mine", CurioNetworkMetrics.class, () -> new CurioNetworkMetrics(other))
                    .run(ctx -> assertThat(ctx).getBean(CurioNetworkMetrics.class).isSameAs(ctx.getBean("mine")));
        }
        runner.withPropertyValues("curio.metrics.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CurioNetworkMetrics.class));
    }
}
