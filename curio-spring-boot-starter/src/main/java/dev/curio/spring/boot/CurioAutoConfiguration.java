package dev.curio.spring.boot;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.context.ContextPropagatingTaskDecorator;
import dev.curio.spring.boot.metrics.CurioKernelMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of a Curio kernel: the {@link Kernel} (with every {@link Activation} bean),
 * its {@link CurioKernelLifecycle}, the {@link CurioTasks} facade, and, when their libraries are
 * present, Micrometer metrics and context propagation. Each bean backs off when the application
 * defines one of the same type. {@code curio.enabled=false} turns all of it off.
 *
 * <p>Worker thread and process pools are not configured yet: their properties
 * ({@code curio.workers.*}) are bound and validated, and their beans will join this class.
 */
@AutoConfiguration
@ConditionalOnClass(Kernel.class)
@ConditionalOnBooleanProperty(name = "curio.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CurioProperties.class)
@Import({CurioAutoConfiguration.MetricsConfiguration.class,
        CurioAutoConfiguration.ContextPropagationConfiguration.class})
public final class CurioAutoConfiguration {

    /** The kernel, built with every activation bean in the context, in their {@code @Order}. */
    @Bean
    @ConditionalOnMissingBean
    Kernel curioKernel(CurioProperties properties, ObjectProvider<Activation> activations) {
        return Kernel.builder()
                .name(properties.getKernelName())
                .activations(activations.orderedStream().toList())
                .build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CurioKernelLifecycle curioKernelLifecycle(Kernel kernel, CurioProperties properties) {
        return new CurioKernelLifecycle(kernel, properties.getShutdownTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    CurioTasks curioTasks(CurioKernelLifecycle lifecycle, ObjectProvider<CurioTaskDecorator> decorators) {
        return new CurioTasks(lifecycle, decorators.orderedStream().toList());
    }

    /** The metrics activation; Boot binds it to the registries as a {@code MeterBinder} bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "curio.metrics.enabled", matchIfMissing = true)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        CurioKernelMetrics curioKernelMetrics(CurioProperties properties) {
            return new CurioKernelMetrics(properties.getKernelName(), properties.getLongBlockThreshold());
        }
    }

    /** MDC and Observation carried into submitted tasks, when context-propagation is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.context.ContextSnapshotFactory", "org.slf4j.MDC"})
    @ConditionalOnBooleanProperty(name = "curio.context-propagation.enabled", matchIfMissing = true)
    static class ContextPropagationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ContextPropagatingTaskDecorator curioContextPropagation() {
            return new ContextPropagatingTaskDecorator();
        }
    }
}
