package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.kernel.Kernel;
import dev.curio.sync.UniversalEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;

/**
 * A non-web application whose runner hands the kernel a long task stays up after
 * {@code SpringApplication.run} returns (a non-daemon keep-alive thread holds the JVM) until that
 * task ends; one with no user task lets go as soon as it is ready; a web application gets no
 * keep-alive (its server's threads hold it). The child-JVM version, a non-web application serving
 * TCP after its main returned, is in consumer-tests.
 */
class CurioKeepAliveTests {

    static final UniversalEvent RELEASE = new UniversalEvent();
    static final CompletableFuture<Void> WORK_STARTED = new CompletableFuture<>();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ServingApp {
        @Bean
        ApplicationRunner serve(CurioTasks curio) {
            return args -> curio.run("serve", () -> {
                WORK_STARTED.complete(null);
                RELEASE.await(); // a trap: the task waits in the kernel like a server's accept
            });
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class IdleApp {
    }

    @Test
    void nonWebApplicationStaysUpWhileItsKernelHasAUserTaskAndLetsGoWhenItEnds() throws Exception {
        try (var ctx = new SpringApplicationBuilder(ServingApp.class).web(WebApplicationType.NONE)
                .run("--curio.kernel-name=kept")) {
            WORK_STARTED.get(30, TimeUnit.SECONDS);
            Thread holder = keepAliveThread("kept");
            assertThat(holder).isNotNull();
            assertThat(holder.isDaemon()).isFalse();
            assertThat(ctx.getBean(CurioKeepAlive.class).holding()).isTrue();
            RELEASE.set();
            holder.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(holder.isAlive()).isFalse();
            assertThat(ctx.getBean(CurioKeepAlive.class).holding()).isFalse();
        }
    }

    @Test
    void nonWebApplicationWithoutUserTasksLetsGoOnceReady() throws Exception {
        try (var ctx = new SpringApplicationBuilder(IdleApp.class).web(WebApplicationType.NONE)
                .run("--curio.kernel-name=idle")) {
            CurioKeepAlive keepAlive = ctx.getBean(CurioKeepAlive.class);
            // The ready check was posted to the kernel when the application was ready: behind it,
            boolean holding = ctx.getBean(Kernel.class).inKernel(k -> keepAlive.holding()).get(30, TimeUnit.SECONDS);
            assertThat(holding).isFalse();
            Thread holder = keepAliveThread("idle"); // let go, so ending or ended
            if (holder != null) {
                holder.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(holder == null || !holder.isAlive()).isTrue();
        }
    }

    @Test
    void closingTheContextLetsGoEvenWithWorkLeft() throws Exception {
        var ctx = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
                .withPropertyValues("curio.kernel-name=closing");
        ctx.run(c -> {
            CurioKeepAlive keepAlive = c.getBean(CurioKeepAlive.class);
            assertThat(keepAlive.holding()).isTrue(); // refreshed, never ready
            c.close();
            assertThat(keepAlive.holding()).isFalse();
        });
    }

    @Test
    void webApplicationsAndTheSwitchGetNoKeepAlive() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
                .run(c -> assertThat(c).doesNotHaveBean(CurioKeepAlive.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class))
                .withPropertyValues("curio.keep-alive=false")
                .run(c -> assertThat(c).doesNotHaveBean(CurioKeepAlive.class));
    }

    private static Thread keepAliveThread(String kernel) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("curio-" + kernel + "-keep-alive") && t.isAlive())
                .findFirst().orElse(null);
    }
}
