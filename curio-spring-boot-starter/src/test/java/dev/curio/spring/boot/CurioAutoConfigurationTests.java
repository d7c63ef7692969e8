package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.kernel.Activation;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.spring.boot.context.ContextPropagatingTaskDecorator;
import dev.curio.kernel.CarrierKind;
import dev.curio.spring.boot.metrics.CurioKernelMetrics;
import dev.curio.spring.boot.metrics.CurioWorkerMetrics;
import dev.curio.spring.boot.web.CurioRequests;
import dev.curio.workers.ProcessWorkers;
import dev.curio.workers.ThreadWorkers;
import dev.curio.spring.boot.metrics.TaskOutcome;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every condition and property of {@link CurioAutoConfiguration}, on a plain context runner. */
class CurioAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class));

    // ---- auto-configured ----

    @Test
    void theConsoleMonitorStartsOnlyWhenEnabledAndAnswersOnLoopback() {
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(dev.curio.monitor.Monitor.class));
        runner.withPropertyValues("curio.monitor.enabled=true", "curio.monitor.port=0").run(ctx -> {
            dev.curio.monitor.Monitor monitor = ctx.getBean(dev.curio.monitor.Monitor.class);
            try (var socket = new java.net.Socket("127.0.0.1", monitor.port());
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                            java.nio.charset.StandardCharsets.UTF_8))) {
                in.readLine(); // the banner starts with an empty line
                assertThat(in.readLine()).startsWith("Curio Monitor:");
            }
        });
    }

    @Test
    void autoConfiguresARunningKernelWithItsFacadeMetricsAndPropagation() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(Kernel.class).hasSingleBean(CurioKernelLifecycle.class)
                    .hasSingleBean(CurioTasks.class).hasSingleBean(CurioKernelMetrics.class)
                    .hasSingleBean(ContextPropagatingTaskDecorator.class).hasSingleBean(CurioProperties.class)
                    .hasSingleBean(ThreadWorkers.class).hasSingleBean(ProcessWorkers.class)
                    .hasSingleBean(CurioWorkerMetrics.class)
                    .doesNotHaveBean(CurioRequests.class); // not a web application
            Kernel kernel = ctx.getBean(Kernel.class);
            assertThat(kernel.name()).isEqualTo("main");
            // a non-web context: the keep-alive activation too
            assertThat(kernel.activations()).containsExactlyInAnyOrder(ctx.getBean(CurioKernelMetrics.class),
                    ctx.getBean(CurioKeepAlive.class));
            assertThat(ctx.getBean(CurioKernelLifecycle.class).isRunning()).isTrue();
            assertThat(ctx.getBean(CurioTasks.class).submit("answer", () -> Curio.currentTask().name() + "=42")
                    .get(30, TimeUnit.SECONDS)).isEqualTo("answer=42");
        });
    }

    @Test
    void propertiesReachTheBeans() {
        runner.withPropertyValues("curio.kernel-name=orders", "curio.shutdown-timeout=3s",
                "curio.long-block-threshold=5ms", "curio.workers.max-threads=8", "curio.workers.max-processes=2",
                "curio.monitor.enabled=true", "curio.monitor.port=0", "curio.io-spin=50us").run(ctx -> {
            assertThat(ctx.getBean(Kernel.class).name()).isEqualTo("orders");
            assertThat(ctx.getBean(Kernel.class).ioSpin()).isEqualTo(Duration.ofNanos(50_000));
            assertThat(ctx.getBean(CurioKernelMetrics.class).kernelName()).isEqualTo("orders");
            assertThat(ctx.getBean(ThreadWorkers.class).maxThreads()).isEqualTo(8);
            assertThat(ctx.getBean(ThreadWorkers.class).name()).isEqualTo("curio-orders-worker");
            assertThat(ctx.getBean(ProcessWorkers.class).maxProcesses()).isEqualTo(2);
            CurioProperties p = ctx.getBean(CurioProperties.class);
            assertThat(p.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(p.getLongBlockThreshold()).isEqualTo(Duration.ofMillis(5));
            assertThat(p.getWorkers().getMaxThreads()).isEqualTo(8);
            assertThat(p.getWorkers().effectiveMaxProcesses()).isEqualTo(2);
            assertThat(p.getMonitor().isEnabled()).isTrue();
            assertThat(p.getMonitor().getPort()).isZero();
        });
    }

    @ParameterizedTest
    @CsvSource({"owned, owned", "default, default", "OWNED, owned"})
    void theCarrierPropertyChoosesTheKernelsCarrier(String value, String kind) {
        runner.withPropertyValues("curio.carrier=" + value).run(ctx -> {
            assertThat(ctx.getBean(Kernel.class).carrierKind()).isEqualTo(kind);
            assertThat(ctx.getBean(CurioTasks.class).submit(() -> "ran").get(30, TimeUnit.SECONDS)).isEqualTo("ran");
        });
    }

    @Test
    void theCarrierDefaultsToAutoAndFollowsTheSystemProperty() {
        assertThat(new CurioProperties().getCarrier()).isEqualTo(CarrierKind.AUTO);
        // the environment includes system properties: -Dcurio.carrier=default picks the carrier too
        runner.withSystemProperties("curio.carrier=default")
                .run(ctx -> assertThat(ctx.getBean(Kernel.class).carrierKind()).isEqualTo("default"));
    }

    @ParameterizedTest
    @CsvSource({"release, RELEASE", "hold, HOLD", "HOLD, HOLD"})
    void theBlockingCallsPropertySetsTheKernelsRule(String value, BlockingCalls rule) {
        runner.withPropertyValues("curio.carrier=owned", "curio.blocking-calls=" + value).run(ctx -> {
            assertThat(ctx.getBean(CurioProperties.class).getBlockingCalls()).isEqualTo(rule);
            assertThat(ctx.getBean(Kernel.class).blockingCalls()).isEqualTo(rule);
        });
    }

    @Test
    void theLongBlockThresholdIsTheKernelsWarningThresholdToo() {
        runner.run(ctx -> assertThat(ctx.getBean(Kernel.class).longBlockThreshold()).contains(Duration.ofMillis(50)));
        runner.withPropertyValues("curio.long-block-threshold=2s")
                .run(ctx -> assertThat(ctx.getBean(Kernel.class).longBlockThreshold()).contains(Duration.ofSeconds(2)));
    }

    @Test
    void blockingCallsDefaultToReleaseWhichTheDefaultCarrierCannotApply() {
        assertThat(new CurioProperties().getBlockingCalls()).isEqualTo(BlockingCalls.RELEASE);
        runner.withPropertyValues("curio.carrier=owned")
                .run(ctx -> assertThat(ctx.getBean(Kernel.class).blockingCalls()).isEqualTo(BlockingCalls.RELEASE));
        // stepping out needs the owned carrier: on the JDK's scheduler the kernel holds
        runner.withPropertyValues("curio.carrier=default")
                .run(ctx -> assertThat(ctx.getBean(Kernel.class).blockingCalls()).isEqualTo(BlockingCalls.HOLD));
    }

    @Test
    void releasedATaskBlockedInTheJdkLetsTheNextSubmittedTaskRun() {
        // the consumer blocks in LinkedBlockingQueue.take(); the producer, submitted after it, runs
        // while the consumer is out of the kernel and is the one that wakes it
        Trail trail = new Trail();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        runner.withPropertyValues("curio.carrier=owned", "curio.blocking-calls=release").run(ctx -> {
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            CompletableFuture<Task<?>> consumerTask = new CompletableFuture<>();
            CompletableFuture<Void> consumer = tasks.run("consumer", () -> {
                consumerTask.complete(Curio.currentTask());
                trail.add("consumer takes");
                trail.add("consumer took " + queue.take());
            });
            Task<?> c = consumerTask.get(30, TimeUnit.SECONDS);
            tasks.run("producer", () -> {
                while (!c.steppedOut()) {
                    Curio.sleep(0.001);
                }
                trail.add("producer runs while the consumer is " + c.state() + " in " + c.blockedIn().split(" ")[0]);
                queue.put("x");
            }).get(30, TimeUnit.SECONDS);
            consumer.get(30, TimeUnit.SECONDS);
        });
        assertThat(trail.events()).containsExactly("consumer takes",
                "producer runs while the consumer is BLOCKED in LinkedBlockingQueue.take", "consumer took x");
    }

    @Test
    void heldATaskBlockedInTheJdkKeepsTheNextSubmittedTaskWaiting() throws Exception {
        // Curio's strict rule: the producer, submitted while the consumer blocks in take(), runs only
        // after the consumer's call returned (the test's own thread feeds the queue)
        Trail trail = new Trail();
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        runner.withPropertyValues("curio.carrier=owned", "curio.blocking-calls=hold").run(ctx -> {
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            CountDownLatch taking = new CountDownLatch(1);
            CompletableFuture<Task<?>> consumerTask = new CompletableFuture<>();
            CompletableFuture<Void> consumer = tasks.run("consumer", () -> {
                consumerTask.complete(Curio.currentTask());
                trail.add("consumer takes");
                taking.countDown();
                trail.add("consumer took " + queue.take());
            });
            taking.await();
            CompletableFuture<Void> producer = tasks.run("producer", () -> trail.add("producer runs"));
            trail.add("test puts while the consumer is " + consumerTask.get(30, TimeUnit.SECONDS).state());
            queue.put("x");
            producer.get(30, TimeUnit.SECONDS);
            consumer.get(30, TimeUnit.SECONDS);
            trail.add("consumer stepped out " + consumerTask.get().stepOuts() + " times");
        });
        assertThat(trail.events()).containsExactly("consumer takes", "test puts while the consumer is RUNNING",
                "consumer took x", "producer runs", "consumer stepped out 0 times");
    }

    @Test
    void theBlockingCallsPropertyHasMetadataWithADefaultAndHints() throws Exception {
        JsonNode metadata = null;
        var resources = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            try (var in = resources.nextElement().openStream()) {
                JsonNode json = JsonMapper.builder().build().readTree(in);
                if (json.toString().contains("\"curio.kernel-name\"")) {
                    metadata = json;
                }
            }
        }
        assertThat(metadata).as("the starter's generated metadata").isNotNull();
        JsonNode property = null;
        for (JsonNode p : metadata.get("properties")) {
            if (p.get("name").asString().equals("curio.blocking-calls")) {
                property = p;
            }
        }
        assertThat(property).isNotNull();
        assertThat(property.get("type").asString()).isEqualTo(BlockingCalls.class.getName());
        assertThat(property.get("defaultValue").asString()).isEqualTo("release");
        assertThat(property.get("description").asString()).contains("steps out of the kernel", "Curio's strict rule");
        List<String> hints = new java.util.ArrayList<>();
        for (JsonNode h : metadata.get("hints")) {
            if (h.get("name").asString().equals("curio.blocking-calls")) {
                h.get("values").forEach(v -> hints.add(v.get("value").asString() + ": " + v.get("description").asString()));
            }
        }
        assertThat(hints).hasSize(2);
        assertThat(hints.get(0)).startsWith("release: A task blocked in a JDK call steps out of the kernel");
        assertThat(hints.get(1)).startsWith("hold: Curio's strict rule");
    }

    @Test
    void aServletWebApplicationGetsRequestScopedWork() {
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(CurioRequests.class));
        CurioRequests mine = new CurioRequests(new CurioTasks(
                new CurioKernelLifecycle(Kernel.builder().build(), Duration.ofSeconds(1)), List.of()));
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
                .withBean(CurioRequests.class, () -> mine)
                .run(ctx -> assertThat(ctx.getBean(CurioRequests.class)).isSameAs(mine));
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(DeferredResult.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(CurioTasks.class).doesNotHaveBean(CurioRequests.class));
    }

    @Test
    void workerProcessesDefaultToTheNumberOfProcessors() {
        runner.run(ctx -> assertThat(ctx.getBean(CurioProperties.class).getWorkers().effectiveMaxProcesses())
                .isEqualTo(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void aTaskErrorCompletesTheFutureExceptionally() {
        runner.run(ctx -> {
            CompletableFuture<Object> f = ctx.getBean(CurioTasks.class).submit("bad", () -> {
                throw new IOException("disk on fire");
            });
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IOException.class).hasMessage("disk on fire");
        });
    }

    @Test
    void cancellingTheFutureCancelsTheTask() {
        Trail trail = new Trail();
        CompletableFuture<Void> slowEnded = new CompletableFuture<>();
        runner.withBean("recorder", Activation.class, () -> new Activation() {
            @Override
            public void terminated(Task<?> task) {
                if (task.name().equals("slow")) {
                    trail.add("terminated " + task.name() + " " + TaskOutcome.of(task).tag());
                    slowEnded.complete(null);
                }
            }
        }).run(ctx -> {
            CompletableFuture<Void> asleep = new CompletableFuture<>();
            CompletableFuture<Object> f = ctx.getBean(CurioTasks.class).submit("slow", () -> {
                trail.add("slow sleeps");
                asleep.complete(null);
                return Curio.sleep(Duration.ofHours(1));
            });
            asleep.get(30, TimeUnit.SECONDS);
            trail.add("cancel the future");
            boolean cancelled = f.cancel(true); // the kernel may end the task before this returns
            slowEnded.get(30, TimeUnit.SECONDS);
            assertThat(cancelled).isTrue();
            assertThat(trail.events()).containsExactly("slow sleeps", "cancel the future", "terminated slow cancelled");
        });
    }

    @Test
    void everyActivationBeanIsRegisteredWithTheKernel() {
        Trail trail = new Trail();
        runner.withBean("recorder", Activation.class, () -> new Activation() {
            @Override
            public void created(Task<?> task) {
                if (task.name().startsWith("hello")) {
                    trail.add("created " + task.name());
                }
            }
        }).run(ctx -> {
            ctx.getBean(CurioTasks.class).run("hello", () -> {}).get(30, TimeUnit.SECONDS);
            assertThat(ctx.getBean(Kernel.class).activations()).hasSize(3).contains(ctx.getBean("recorder", Activation.class)); // + metrics, keep-alive
            assertThat(trail.events()).containsExactly("created hello");
        });
    }

    @Test
    void startsBeforeAndStopsAfterTheWebServerPhase() {
        Trail trail = new Trail();
        runner.withBean(Trail.class, () -> trail).withUserConfiguration(WebServerLike.class).run(ctx -> trail.add("context up"));
        assertThat(trail.events()).containsExactly("web start: kernel running=true", "context up",
                "web stop: kernel running=true");
        assertThat(CurioKernelLifecycle.PHASE).isLessThan(PhaseProbe.WEB_SERVER_START_STOP_PHASE);
    }

    @Configuration(proxyBeanMethods = false)
    static class WebServerLike {
        @Bean
        PhaseProbe webServerLike(CurioKernelLifecycle kernel, Trail trail) {
            return new PhaseProbe(kernel, trail);
        }
    }

    /** Stands for Boot's WebServerStartStopLifecycle, at its phase (SPRING-BOOT-4.md §4). */
    static final class PhaseProbe implements SmartLifecycle {
        static final int WEB_SERVER_START_STOP_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;
        private final CurioKernelLifecycle kernel;
        private final Trail trail;
        private volatile boolean running;

        PhaseProbe(CurioKernelLifecycle kernel, Trail trail) {
            this.kernel = kernel;
            this.trail = trail;
        }

        @Override
        public void start() {
            trail.add("web start: kernel running=" + kernel.isRunning());
            running = true;
        }

        @Override
        public void stop() {
            trail.add("web stop: kernel running=" + kernel.isRunning());
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return WEB_SERVER_START_STOP_PHASE;
        }
    }

    // ---- backs off ----

    @Test
    void backsOffFromAUserKernel() {
        runner.withUserConfiguration(UserKernel.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(Kernel.class);
            assertThat(ctx.getBean(Kernel.class).name()).isEqualTo("users-own");
            assertThat(ctx.getBean(CurioTasks.class).submit(() -> Kernel.current().name()).get(30, TimeUnit.SECONDS))
                    .isEqualTo("users-own");
        });
    }

    @Test
    void backsOffFromEachUserBean() {
        runner.withUserConfiguration(UserBeans.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(CurioKernelLifecycle.class).hasSingleBean(CurioTasks.class)
                    .hasSingleBean(CurioKernelMetrics.class).hasSingleBean(ContextPropagatingTaskDecorator.class);
            assertThat(ctx.getBean(CurioKernelLifecycle.class)).isSameAs(ctx.getBean("myLifecycle"));
            assertThat(ctx.getBean(CurioTasks.class)).isSameAs(ctx.getBean("myTasks"));
            assertThat(ctx.getBean(CurioKernelMetrics.class).kernelName()).isEqualTo("renamed-in-metrics");
            assertThat(ctx.getBean(ContextPropagatingTaskDecorator.class)).isSameAs(ctx.getBean("myPropagation"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserKernel {
        @Bean
        Kernel myKernel() {
            return Kernel.builder().name("users-own").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        @Bean
        CurioKernelLifecycle myLifecycle(Kernel kernel) {
            return new CurioKernelLifecycle(kernel, Duration.ofSeconds(1));
        }

        @Bean
        CurioTasks myTasks(CurioKernelLifecycle lifecycle) {
            return new CurioTasks(lifecycle, List.of());
        }

        @Bean
        CurioKernelMetrics myMetrics() {
            return new CurioKernelMetrics("renamed-in-metrics", Duration.ofSeconds(1));
        }

        @Bean
        ContextPropagatingTaskDecorator myPropagation() {
            return new ContextPropagatingTaskDecorator();
        }
    }

    // ---- disabled ----

    @Test
    void curioEnabledFalseConfiguresNothing() {
        runner.withPropertyValues("curio.enabled=false").run(ctx -> assertThat(ctx)
                .doesNotHaveBean(Kernel.class).doesNotHaveBean(CurioKernelLifecycle.class)
                .doesNotHaveBean(CurioTasks.class).doesNotHaveBean(CurioKernelMetrics.class)
                .doesNotHaveBean(CurioProperties.class));
    }

    @Test
    void metricsEnabledFalseLeavesTheKernelWithoutMetrics() {
        runner.withPropertyValues("curio.metrics.enabled=false").run(ctx -> {
            assertThat(ctx).hasSingleBean(Kernel.class).doesNotHaveBean(CurioKernelMetrics.class)
                    .doesNotHaveBean(CurioWorkerMetrics.class);
            assertThat(ctx.getBean(Kernel.class).activations()).containsExactly(ctx.getBean(CurioKeepAlive.class));
        });
    }

    @Test
    void noMicrometerNoMetrics() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(Kernel.class).doesNotHaveBean(CurioKernelMetrics.class));
    }

    @Test
    void contextPropagationCanBeTurnedOffAndNeedsTheLibrary() {
        runner.withPropertyValues("curio.context-propagation.enabled=false")
                .run(ctx -> assertThat(ctx).hasSingleBean(CurioTasks.class).doesNotHaveBean(CurioTaskDecorator.class));
        runner.withClassLoader(new FilteredClassLoader(ContextSnapshotFactory.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(CurioTasks.class).doesNotHaveBean(CurioTaskDecorator.class));
    }

    // ---- bad properties ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            curio.shutdown-timeout=-1s          | curio.shutdown-timeout must be zero or positive, was PT-1S
            curio.long-block-threshold=0ms      | curio.long-block-threshold must be positive, was PT0S
            curio.long-block-threshold=-5ms     | curio.long-block-threshold must be positive, was PT-0.005S
            curio.kernel-name=                  | curio.kernel-name must not be blank
            curio.workers.max-threads=0         | curio.workers.max-threads must be at least 1, was 0
            curio.workers.max-processes=-2      | curio.workers.max-processes must be at least 1, was -2
            curio.monitor.port=65536            | curio.monitor.port must be between 0 and 65535, was 65536
            curio.shutdown-timeout=soon         | curio.shutdown-timeout
            curio.carrier=fast                  | curio.carrier
            curio.blocking-calls=sometimes      | Failed to bind properties under 'curio.blocking-calls'
            curio.io-spin=-1us                  | curio.io-spin must be between 0 and 10ms, was PT-0.000001S
            curio.io-spin=11ms                  | curio.io-spin must be between 0 and 10ms, was PT0.011S
            curio.max-tasks=-1                  | curio.max-tasks must be zero (no bound) or positive, was -1
            """)
    void aBadValueFailsStartUpNamingTheProperty(String property, String message) {
        runner.withPropertyValues(property).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(messages(ctx.getStartupFailure())).contains(message);
        });
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable e = t; e != null; e = e.getCause()) {
            b.append(e.getMessage()).append('\n');
        }
        return b.toString();
    }
}
