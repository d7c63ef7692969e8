package dev.curio.spring.boot;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelClock;
import dev.curio.kernel.TaskDecorator;
import dev.curio.spring.boot.context.ContextPropagatingTaskDecorator;
import dev.curio.spring.boot.metrics.CurioKernelMetrics;
import dev.curio.spring.boot.metrics.CurioNetworkMetrics;
import dev.curio.spring.boot.metrics.CurioWorkerMetrics;
import dev.curio.spring.boot.workers.CurioWorkerPools;
import dev.curio.workers.ProcessWorkers;
import dev.curio.workers.ThreadWorkers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * Auto-configuration of a Curio kernel: the {@link Kernel} (with every {@link Activation} bean and
 * the {@link CurioTaskDecorator} beans as its task decorator), its worker thread and process pools,
 * its {@link CurioKernelLifecycle}, the {@link CurioTasks} facade, and, when their libraries are
 * present, Micrometer metrics, context propagation and request-scoped work for Spring MVC. Each
 * bean backs off when the application defines one of the same type. {@code curio.enabled=false}
 * turns all of it off.
 *
 * <p>Shutdown order: the lifecycle stops the kernel in its phase; the pools, on which the kernel
 * bean depends, are destroyed after it, with the other beans.
 */
@AutoConfiguration
@ConditionalOnClass(Kernel.class)
@ConditionalOnBooleanProperty(name = "curio.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CurioProperties.class)
@Import({CurioAutoConfiguration.MetricsConfiguration.class,
        CurioAutoConfiguration.ContextPropagationConfiguration.class,
        CurioClockConfiguration.class,
        CurioWebConfiguration.class, dev.curio.spring.boot.web.CurioProblemDetailsConfiguration.class})
public final class CurioAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(CurioAutoConfiguration.class);

    /**
     * The kernel, built with every activation bean in the context (in their {@code @Order}), the
     * task decorator beans (so children inherit their parent's context), the configured carrier
     * and rule for blocking calls, and the application's worker pools. Closed by its
     * {@link CurioKernelLifecycle}, not by the context (whose close would fail while a task still
     * holds the kernel after the shutdown wait).
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    Kernel curioKernel(CurioProperties properties, ObjectProvider<Activation> activations,
            ObjectProvider<CurioTaskDecorator> decorators, ThreadWorkers threads, ProcessWorkers processes,
            ObjectProvider<KernelClock> clock) {
        Kernel.Builder builder = Kernel.builder()
                .name(properties.getKernelName())
                .carrier(properties.getCarrier())
                .blockingCalls(properties.getBlockingCalls())
                .ioSpin(properties.getIoSpin())
                .longBlockThreshold(properties.getLongBlockThreshold())
                .activations(activations.orderedStream().toList());
        clock.ifAvailable(builder::clock); // curio.clock=autojump|manual, or the application's own
        TaskDecorator decorator = CurioTaskDecorator.compose(decorators.orderedStream().toList());
        if (decorator != null) {
            builder.taskDecorator(decorator);
        }
        Kernel kernel;
        try {
            kernel = builder.build();
        } catch (IllegalStateException e) {
            if (properties.getCarrier() != dev.curio.kernel.CarrierKind.OWNED) {
                throw e;
            }
            throw new dev.curio.spring.boot.diagnostics.OwnedCarrierUnavailableException(properties.getKernelName(), e);
        }
        CurioWorkerPools.use(kernel, threads, processes);
        if (CarrierReport.fellBack(kernel, properties.getCarrier())) {
            LOG.warn(CarrierReport.startupLine(kernel, properties.getCarrier(), properties.getBlockingCalls()));
        } else {
            LOG.info(CarrierReport.startupLine(kernel, properties.getCarrier(), properties.getBlockingCalls()));
        }
        return kernel;
    }

    /** Closed (no new calls; running ones finish) when the context is destroyed, after the kernel. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ThreadWorkers curioThreadWorkers(CurioProperties properties) {
        return new ThreadWorkers("curio-" + properties.getKernelName() + "-worker",
                properties.getWorkers().getMaxThreads());
    }

    /** Started lazily, on the first call; its processes are terminated when the context is destroyed. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ProcessWorkers curioProcessWorkers(CurioProperties properties) {
        return new ProcessWorkers(properties.getWorkers().effectiveMaxProcesses(),
                List.copyOf(properties.getWorkers().getProcessJvmOptions()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CurioKernelLifecycle curioKernelLifecycle(Kernel kernel, CurioProperties properties, ThreadWorkers threads,
            ProcessWorkers processes) {
        CurioWorkerPools.use(kernel, threads, processes); // a user's kernel bean gets the pools too
        return new CurioKernelLifecycle(kernel, properties.getShutdownTimeout());
    }

    /**
     * Curio's console monitor on 127.0.0.1 ({@code curio.monitor.enabled}, {@code curio.monitor.port});
     * its {@code cancel} is allowed only when the actuator endpoint's is ({@link MonitorCancelAccess}).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "curio.monitor.enabled")
    dev.curio.monitor.Monitor curioMonitor(Kernel kernel, CurioProperties properties,
            org.springframework.core.env.Environment environment) {
        try {
            return dev.curio.monitor.Monitor.start(kernel, dev.curio.monitor.MonitorOptions.defaults()
                    .port(properties.getMonitor().getPort()).allowCancel(MonitorCancelAccess.allowed(environment)));
        } catch (java.io.UncheckedIOException e) {
            if (!(e.getCause() instanceof java.net.BindException)) {
                throw e;
            }
            throw new dev.curio.spring.boot.diagnostics.CurioPortInUseException("the Curio console monitor of kernel '"
                    + kernel.name() + "'", "127.0.0.1", properties.getMonitor().getPort(), "curio.monitor.port", e.getCause());
        }
    }

    /**
     * Holds a non-web application up while its kernel has user tasks (the kernel's thread is a
     * daemon); web applications have the server's threads for that.
     */
    @Bean
    @ConditionalOnMissingBean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication
    @ConditionalOnBooleanProperty(name = "curio.keep-alive", matchIfMissing = true)
    CurioKeepAlive curioKeepAlive(CurioProperties properties) {
        return new CurioKeepAlive(properties.getKernelName());
    }

    @Bean
    @ConditionalOnMissingBean
    CurioTasks curioTasks(CurioKernelLifecycle lifecycle, ObjectProvider<CurioTaskDecorator> decorators,
            CurioProperties properties) {
        return new CurioTasks(lifecycle, decorators.orderedStream().toList(), properties.getMaxTasks());
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

        @Bean
        @ConditionalOnMissingBean
        CurioWorkerMetrics curioWorkerMetrics(Kernel kernel, ObjectProvider<ThreadWorkers> threads,
                ObjectProvider<ProcessWorkers> processes) {
            return new CurioWorkerMetrics(kernel.name(), threads.getIfUnique(), processes.getIfUnique());
        }

        @Bean
        @ConditionalOnMissingBean
        CurioNetworkMetrics curioNetworkMetrics(Kernel kernel) {
            return new CurioNetworkMetrics(kernel);
        }

        /**
         * Admission ({@code curio.max-tasks}): {@code curio.tasks.refused{kernel}}, the submissions
         * {@link CurioTasks} refused, and {@code curio.tasks.max{kernel}}, the bound (0: none).
         */
        @Bean
        MeterBinder curioAdmissionMetrics(Kernel kernel, ObjectProvider<CurioTasks> tasks) {
            return registry -> {
                CurioTasks t = tasks.getIfUnique();
                if (t == null) {
                    return;
                }
                io.micrometer.core.instrument.FunctionCounter.builder("curio.tasks.refused", t, CurioTasks::refused)
                        .description("Tasks refused because the kernel had curio.max-tasks live tasks")
                        .baseUnit(io.micrometer.core.instrument.binder.BaseUnits.TASKS)
                        .tags("kernel", kernel.name()).register(registry);
                Gauge.builder("curio.tasks.max", t, CurioTasks::maxTasks)
                        .description("The kernel's admission bound, curio.max-tasks (0: none)")
                        .baseUnit(io.micrometer.core.instrument.binder.BaseUnits.TASKS)
                        .tags("kernel", kernel.name()).strongReference(true).register(registry);
            };
        }

        /** {@code curio.kernel.info{kernel, carrier} = 1}: which carrier the kernel runs on. */
        @Bean
        MeterBinder curioKernelInfoMetrics(Kernel kernel) {
            return registry -> Gauge.builder("curio.kernel.info", () -> 1.0)
                    .description("The kernel, tagged with the carrier of its virtual threads")
                    .tags("kernel", kernel.name(), "carrier", kernel.carrierKind()).register(registry);
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
