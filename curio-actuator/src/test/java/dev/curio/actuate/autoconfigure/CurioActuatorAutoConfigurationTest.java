package dev.curio.actuate.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.actuate.endpoint.CancelAuditAdvisor;
import dev.curio.actuate.endpoint.CurioEndpoint;
import dev.curio.actuate.health.CurioHealthIndicator;
import dev.curio.actuate.health.LongBlockWatch;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of {@link CurioActuatorAutoConfiguration}, in a plain context runner. */
class CurioActuatorAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class, EndpointAutoConfiguration.class,
                    CurioActuatorAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=curio");

    @Test
    void exposedEndpointHealthIndicatorAndTheWatchAsAnActivationOfTheKernel() {
        runner.withPropertyValues("curio.long-block-threshold=75ms").run(ctx -> {
            assertThat(ctx).hasSingleBean(CurioEndpoint.class).hasSingleBean(CurioHealthIndicator.class)
                    .hasSingleBean(LongBlockWatch.class).hasBean("curioHealthIndicator")
                    .hasSingleBean(CancelAuditAdvisor.class);
            LongBlockWatch watch = ctx.getBean(LongBlockWatch.class);
            assertThat(ctx.getBean(Kernel.class).activations()).contains(watch);
            assertThat(watch.threshold()).isEqualTo(Duration.ofMillis(75));
            CurioEndpoint.Tasks t = ctx.getBean(CurioEndpoint.class).table(null, null, null, null);
            assertThat(t.running()).isTrue();
            assertThat(t.cancelAllowed()).isFalse(); // read-only unless the operator says otherwise
            assertThat(t.limit()).isEqualTo(100);
            assertThat(ctx.getBean(CurioHealthIndicator.class).health().getStatus().getCode()).isEqualTo("UP");
        });
    }

    @Test
    void cancelAllowedOnlyWhenTheOperatorOpensTheEndpoint() {
        runner.withPropertyValues("management.endpoint.curio.access=UNRESTRICTED").run(ctx ->
                assertThat(ctx.getBean(CurioEndpoint.class).table(null, null, null, null).cancelAllowed()).isTrue());
        runner.withPropertyValues("management.endpoint.curio.access=UNRESTRICTED",
                "management.endpoints.access.max-permitted=READ_ONLY").run(ctx ->
                assertThat(ctx.getBean(CurioEndpoint.class).table(null, null, null, null).cancelAllowed()).isFalse());
    }

    @Test
    void noEndpointWhenNotExposedOrAccessNone() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class, CurioActuatorAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CurioEndpoint.class).doesNotHaveBean(CancelAuditAdvisor.class)
                        .hasSingleBean(CurioHealthIndicator.class));
        runner.withPropertyValues("management.endpoint.curio.access=NONE")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CurioEndpoint.class));
    }

    @Test
    void noHealthIndicatorWhenDisabled() {
        runner.withPropertyValues("management.health.curio.enabled=false").run(ctx ->
                assertThat(ctx).doesNotHaveBean(CurioHealthIndicator.class).doesNotHaveBean(LongBlockWatch.class)
                        .hasSingleBean(CurioEndpoint.class));
    }

    @Test
    void stallThresholdInSecondsValidatedAndHealthEnabledInTheMetadata() throws Exception {
        runner.withPropertyValues("curio.health.stall-threshold=15").run(ctx -> assertThat(ctx
                .getBean(CurioHealthIndicator.class).health().getDetails()).containsEntry("stallThreshold", "PT15S"));
        runner.run(ctx -> assertThat(ctx.getBean(CurioHealthIndicator.class).health().getDetails())
                .containsEntry("stallThreshold", "PT10S"));
        runner.withPropertyValues("curio.health.stall-threshold=0s").run(ctx ->
                assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("curio.health.stall-threshold must be positive, was PT0S"));
        String metadata;
        try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(metadata);
        java.util.List<String> names = new java.util.ArrayList<>();
        json.get("properties").forEach(p -> names.add(p.get("name").asString()));
        assertThat(names).contains("management.health.curio.enabled", "curio.health.stall-threshold",
                "curio.actuator.task-page.enabled");
    }

    @Test
    void nothingWithoutAKernel() {
        runner.withPropertyValues("curio.enabled=false").run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(CurioEndpoint.class).doesNotHaveBean(CurioHealthIndicator.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {
        @Bean
        CurioEndpoint myEndpoint(Kernel kernel) {
            return new CurioEndpoint(kernel, null, 5, 10, Duration.ofSeconds(1));
        }
    }

    @Test
    void backsOffForTheApplicationsOwnEndpoint() {
        runner.withUserConfiguration(OwnEndpoint.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(CurioEndpoint.class).hasBean("myEndpoint");
            assertThat(ctx.getBean(CurioEndpoint.class).table(null, null, null, null).limit()).isEqualTo(5);
        });
    }

    @Test
    void pageSizesAndAnswerTimeoutFromPropertiesAndBadValuesNamed() {
        runner.withPropertyValues("curio.actuator.page-size=7", "curio.actuator.max-page-size=9").run(ctx -> {
            CurioEndpoint e = ctx.getBean(CurioEndpoint.class);
            assertThat(e.table(null, null, null, null).limit()).isEqualTo(7);
            assertThat(e.table(null, null, null, 9).limit()).isEqualTo(9);
        });
        runner.withPropertyValues("curio.actuator.page-size=20", "curio.actuator.max-page-size=9").run(ctx ->
                assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("curio.actuator.page-size must be in 1..curio.actuator.max-page-size (9), was 20"));
        runner.withPropertyValues("curio.actuator.kernel-answer-timeout=0s").run(ctx ->
                assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("curio.actuator.kernel-answer-timeout must be positive, was PT0S"));
    }
}
