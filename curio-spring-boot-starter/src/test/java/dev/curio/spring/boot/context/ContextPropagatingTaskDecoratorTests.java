package dev.curio.spring.boot.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.kernel.Task;
import dev.curio.spring.boot.CurioAutoConfiguration;
import dev.curio.task.TaskGroup;
import dev.curio.spring.boot.CurioTasks;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The submitting thread's MDC and Observation, seen inside submitted tasks and, through the
 * kernel's task decorator, inherited by the tasks they spawn: a copy taken at spawn time, as a
 * child inherits a {@code Local}'s value (curio-core's LocalTests).
 */
class ContextPropagatingTaskDecoratorTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CurioAutoConfiguration.class));

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void aSubmittedTaskSeesTheCallersMdcAndLeavesItsThreadClean() {
        runner.run(ctx -> {
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            MDC.put("requestId", "r-17");
            String seen = tasks.submit("mdc", () -> MDC.get("requestId")).get(30, TimeUnit.SECONDS);
            MDC.remove("requestId");
            String unset = tasks.submit("no-mdc", () -> String.valueOf(MDC.get("requestId"))).get(30, TimeUnit.SECONDS);
            assertThat(seen).isEqualTo("r-17");
            assertThat(unset).isEqualTo("null");
        });
    }

    @Test
    void aSubmittedTaskAndItsChildrenRunAsTheCallersAuthenticatedUser() {
        runner.run(ctx -> {
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            var auth = org.springframework.security.authentication.UsernamePasswordAuthenticationToken
                    .authenticated("alice", null, java.util.List.of());
            var context = org.springframework.security.core.context.SecurityContextHolder.createEmptyContext();
            context.setAuthentication(auth);
            org.springframework.security.core.context.SecurityContextHolder.setContext(context);
            List<String> seen;
            try {
                seen = tasks.submit("secured", () -> {
                    List<String> out = new ArrayList<>();
                    out.add(userName());
                    out.add(Curio.spawn("child", ContextPropagatingTaskDecoratorTests::userName).join());
                    return out;
                }).get(30, TimeUnit.SECONDS);
            } finally {
                org.springframework.security.core.context.SecurityContextHolder.clearContext();
            }
            String anonymous = tasks.submit("anonymous", ContextPropagatingTaskDecoratorTests::userName).get(30, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("alice", "alice");
            assertThat(anonymous).isEqualTo("none");
        });
    }

    private static String userName() {
        var a = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
        return a == null ? "none" : a.getName();
    }

    @Test
    void aSubmittedTaskRunsInsideTheCallersObservation() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(context -> true);
        ObservationThreadLocalAccessor.getInstance().setObservationRegistry(observations);
        runner.run(ctx -> {
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            Observation request = Observation.start("http.request", observations);
            String seen;
            try (Observation.Scope scope = request.openScope()) {
                seen = tasks.submit("traced", () -> {
                    Observation current = observations.getCurrentObservation();
                    return current == null ? "none" : current.getContext().getName();
                }).get(30, TimeUnit.SECONDS);
            } finally {
                request.stop();
            }
            String outside = tasks.submit("untraced", () -> String.valueOf(observations.getCurrentObservation()))
                    .get(30, TimeUnit.SECONDS);
            assertThat(seen).isEqualTo("http.request");
            assertThat(outside).isEqualTo("null");
        });
    }

    @Test
    void childrenInheritTheMdcOfTheirParentAtSpawnTime() {
        runner.run(ctx -> {
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            MDC.put("requestId", "r-19");
            List<String> seen = tasks.submit("parent", () -> {
                List<String> trail = new ArrayList<>();
                Task<Void> child = Curio.spawn("child", () -> {
                    trail.add("child: " + MDC.get("requestId"));
                    Curio.spawn("grandchild", () -> trail.add("grandchild: " + MDC.get("requestId"))).join();
                });
                MDC.put("requestId", "r-19/changed"); // after the spawn: the child keeps its copy
                try (TaskGroup group = new TaskGroup()) {
                    group.spawn("member", () -> trail.add("member: " + MDC.get("requestId")));
                    group.join();
                }
                child.join();
                trail.add("parent: " + MDC.get("requestId"));
                return trail;
            }).get(30, TimeUnit.SECONDS);
            MDC.remove("requestId");
            String unset = tasks.submit("no-mdc", () -> Curio.spawn("child",
                    () -> String.valueOf(MDC.get("requestId"))).join()).get(30, TimeUnit.SECONDS);
            // FIFO: the child runs, spawns the grandchild and waits; the member ran before it
            assertThat(seen).containsExactly("child: r-19", "member: r-19/changed", "grandchild: r-19",
                    "parent: r-19/changed");
            assertThat(unset).isEqualTo("null");
        });
    }

    @Test
    void childrenRunInsideTheCallersObservation() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(context -> true);
        ObservationThreadLocalAccessor.getInstance().setObservationRegistry(observations);
        runner.run(ctx -> {
            CurioTasks tasks = ctx.getBean(CurioTasks.class);
            Observation request = Observation.start("http.request", observations);
            String seen;
            try (Observation.Scope scope = request.openScope()) {
                seen = tasks.submit("traced", () -> Curio.spawn("child", () -> {
                    Observation current = observations.getCurrentObservation();
                    return current == null ? "none" : current.getContext().getName();
                }).join()).get(30, TimeUnit.SECONDS);
            } finally {
                request.stop();
            }
            assertThat(seen).isEqualTo("http.request");
        });
    }

    @Test
    void theKernelCarriesTheDecoratorOnlyWhenPropagationIsOn() {
        runner.withPropertyValues("curio.context-propagation.enabled=false").run(ctx -> {
            MDC.put("requestId", "r-20");
            String seen = ctx.getBean(CurioTasks.class).submit("parent", () -> {
                MDC.put("requestId", "set-in-parent");
                return Curio.spawn("child", () -> String.valueOf(MDC.get("requestId"))).join();
            }).get(30, TimeUnit.SECONDS);
            assertThat(seen).isEqualTo("null");
        });
    }

    @Test
    void withoutTheDecoratorNothingIsCarried() {
        runner.withPropertyValues("curio.context-propagation.enabled=false").run(ctx -> {
            MDC.put("requestId", "r-18");
            String seen = ctx.getBean(CurioTasks.class).submit("mdc", () -> String.valueOf(MDC.get("requestId")))
                    .get(30, TimeUnit.SECONDS);
            assertThat(seen).isEqualTo("null");
        });
    }
}
