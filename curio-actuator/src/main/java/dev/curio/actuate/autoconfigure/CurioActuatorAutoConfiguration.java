package dev.curio.actuate.autoconfigure;

import dev.curio.actuate.endpoint.CancelAuditAdvisor;
import dev.curio.actuate.endpoint.CurioEndpoint;
import dev.curio.actuate.health.CurioHealthIndicator;
import dev.curio.actuate.health.CurioHealthProperties;
import dev.curio.actuate.health.LongBlockWatch;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioAutoConfiguration;
import dev.curio.spring.boot.CurioKernelLifecycle;
import dev.curio.spring.boot.CurioProperties;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the curio actuator pieces, for the kernel the starter configures: the
 * {@code curio} endpoint (read-only by default), the {@code curio} health indicator with its
 * {@link LongBlockWatch} activation (the hold-time buckets the dashboard's percentiles read are the
 * starter's own, on {@code curio.scheduler.hold}).
 * Each backs off when the application defines a bean of the same type. The live task page and the
 * filter that checks and audits cancel requests live with the actuator instead, in the management
 * context ({@link CurioServletManagementContextConfiguration},
 * {@link CurioReactiveManagementContextConfiguration}).
 */
@AutoConfiguration(after = CurioAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(Kernel.class)
@ConditionalOnBean(Kernel.class)
@EnableConfigurationProperties(CurioActuatorProperties.class)
@Import(CurioActuatorAutoConfiguration.HealthConfiguration.class)
public final class CurioActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    CurioEndpoint curioEndpoint(Kernel kernel, CurioActuatorProperties properties,
            ObjectProvider<EndpointAccessResolver> access) {
        return new CurioEndpoint(kernel, access.getIfAvailable(), properties.getPageSize(),
                properties.getMaxPageSize(), properties.getKernelAnswerTimeout());
    }

    /**
     * Binds a cancel request's audit mark on the thread that runs the endpoint's cancel (WebFlux
     * runs it on another thread than the filter in front of it), and refuses a cancel that did not
     * pass the filter; Boot's endpoint discovery applies every {@code OperationInvokerAdvisor} bean.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = CurioEndpoint.class)
    CancelAuditAdvisor curioCancelAuditAdvisor(Kernel kernel) {
        return new CancelAuditAdvisor(kernel::name);
    }

    /**
     * The health indicator; its watch is an activation bean, so the starter's kernel runs it. DOWN
     * when the served kernel died (the lifecycle's failure), is not running, or is stalled past
     * {@code curio.health.stall-threshold}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("curio")
    @EnableConfigurationProperties(CurioHealthProperties.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LongBlockWatch curioLongBlockWatch(CurioProperties properties) {
            return new LongBlockWatch(properties.getLongBlockThreshold());
        }

        @Bean
        @ConditionalOnMissingBean(name = "curioHealthIndicator")
        CurioHealthIndicator curioHealthIndicator(Kernel kernel, LongBlockWatch watch, CurioHealthProperties health,
                ObjectProvider<CurioKernelLifecycle> lifecycle) {
            return new CurioHealthIndicator(kernel, watch, health.getStallThreshold(), () -> {
                CurioKernelLifecycle l = lifecycle.getIfAvailable();
                return l == null || l.kernel() != kernel ? Optional.empty() : l.failure();
            });
        }
    }
}
