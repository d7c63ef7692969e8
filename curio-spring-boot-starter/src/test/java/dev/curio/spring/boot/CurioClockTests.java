package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.KernelClock;
import dev.curio.kernel.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code curio.clock} and a {@link KernelClock} bean put the kernel bean on a test clock. */
class CurioClockTests {

    private static final long S = 1_000_000_000L;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class));

    @Test
    void theKernelRunsOnTheRealClockByDefault() {
        runner.run(ctx -> {
            assertThat(ctx).doesNotHaveBean(ManualClock.class);
            assertThat(ctx.getBean(Kernel.class).clock()).isSameAs(KernelClock.SYSTEM);
            assertThat(ctx.getBean(CurioProperties.class).getClock()).isEqualTo(CurioClock.SYSTEM);
        });
    }

    @Test
    void autojumpMakesTenMinutesOfSleepTakeNoTime() {
        runner.withPropertyValues("curio.clock=autojump").run(ctx -> {
            ManualClock clock = ctx.getBean(ManualClock.class);
            assertThat(ctx.getBean(Kernel.class).clock()).isSameAs(clock);
            long slept = ctx.getBean(CurioTasks.class).submit(() -> {
                long start = Curio.clock();
                Curio.sleep(Duration.ofMinutes(10));
                return Curio.clock() - start;
            }).get(30, TimeUnit.SECONDS); // a bound that only turns a hang into a failure
            assertThat(slept).isEqualTo(600 * S);
        });
    }

    @Test
    void aManualClockMovesWhenTheTestAdvancesIt() {
        runner.withPropertyValues("curio.clock=manual").run(ctx -> {
            ManualClock clock = ctx.getBean(ManualClock.class);
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            CompletableFuture<Long> asleep = new CompletableFuture<>();
            CompletableFuture<Long> woke = tasks.submit(() -> {
                asleep.complete(Curio.clock());
                return Curio.sleep(5.0);
            });
            assertThat(asleep.get(30, TimeUnit.SECONDS)).isZero();
            Kernels.settle(ctx.getBean(Kernel.class)); // the sleeper is in its sleep
            assertThat(woke).isNotDone();
            clock.advance(Duration.ofSeconds(5));
            assertThat(woke.get(30, TimeUnit.SECONDS)).isEqualTo(5 * S);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClock {
        @Bean
        KernelClock myClock() {
            return ManualClock.autojump();
        }
    }

    @Test
    void anApplicationsClockBeanIsUsedAndOursBacksOff() {
        runner.withUserConfiguration(OwnClock.class).withPropertyValues("curio.clock=manual").run(ctx -> {
            assertThat(ctx).hasSingleBean(KernelClock.class);
            assertThat(ctx.getBean(Kernel.class).clock()).isSameAs(ctx.getBean("myClock"));
        });
    }

    @Test
    void anUnknownClockFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("curio.clock=sundial").run(ctx -> {
            assertThat(ctx).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable e = ctx.getStartupFailure(); e != null; e = e.getCause()) {
                messages.append(e.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains("curio.clock").contains("sundial");
        });
    }
}
