package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Boot's {@link RestClient} called from tasks, on the starter's kernel (owned carrier), against
 * the test's own slow endpoint on 127.0.0.1 ({@link SlowHttpServer}, which answers when the test
 * says so): a task blocked in the call steps out of the kernel, so another task of the kernel
 * keeps time meanwhile; a timeout falling due during the call is delivered at the task's next
 * trap, after the call returned. The client is the JDK's HttpClient, which Boot picks for an MVC
 * application without Apache HttpClient, Jetty or Reactor Netty (this module's tests have Reactor
 * Netty for WebFlux, so the property says it).
 */
@SpringBootTest(properties = {"curio.kernel-name=http", "spring.http.clients.imperative.factory=jdk"})
class RestClientInTasksSpringBootTests {

    @RegisterExtension
    static final SlowHttpServer slow = new SlowHttpServer();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Autowired
    RestClient.Builder restClients;

    /** Whether {@code caller} is out of the kernel while the server holds its request. */
    private static boolean outWhileTheServerHoldsIt(Task<?> caller) {
        return caller.steppedOut() && slow.arrived().isDone();
    }

    @Test
    void anotherTaskKeepsTimeWhileARestClientCallBlocksATask() throws Exception {
        assertThat(kernel.carrierKind()).isEqualTo("owned");
        assertThat(kernel.blockingCalls()).isEqualTo(BlockingCalls.RELEASE);
        RestClient client = restClients.build();
        Trail trail = new Trail();
        Kernels.await(kernel, tasks.run("http", () -> {
            Task<?> caller = Curio.spawn("caller", () -> {
                trail.add("caller calls the slow endpoint");
                String body = client.get().uri(slow.uri()).retrieve().body(String.class);
                trail.add("caller got '" + body + "'");
            });
            Curio.spawn("timekeeper", () -> {
                int ticks = 0;
                while (ticks < 3) {
                    Curio.sleep(0.001);
                    if (outWhileTheServerHoldsIt(caller)) {
                        ticks++;
                    }
                }
                trail.add("timekeeper ticked 3 times while the server held the request and the caller was "
                        + caller.state() + " in " + Kernels.blockedIn(caller));
                trail.add("timekeeper tells the server to answer");
                slow.answer("quote 42");
            }).join();
            caller.join();
            trail.add("caller stepped out: " + (caller.stepOuts() > 0) + "; tasks out now: " + kernel.steppedOutCount());
        }));
        assertThat(trail.events()).containsExactly(
                "caller calls the slow endpoint",
                "timekeeper ticked 3 times while the server held the request and the caller was BLOCKED in "
                        + "CompletableFuture.get called from org.springframework.http.client.JdkClientHttpRequest",
                "timekeeper tells the server to answer",
                "caller got 'quote 42'",
                "caller stepped out: true; tasks out now: 0");
    }

    @Test
    void aTimeoutThatFallsDueDuringARestClientCallIsDeliveredAtTheTasksNextTrap() throws Exception {
        RestClient client = restClients.build();
        Trail trail = new Trail();
        Kernels.await(kernel, tasks.run("http-timeout", () -> {
            Task<?> caller = Curio.spawn("caller", () -> {
                try {
                    Curio.timeoutAfter(Duration.ofMillis(20), () -> {
                        trail.add("caller calls the slow endpoint under a 20 ms timeout");
                        String body = client.get().uri(slow.uri()).retrieve().body(String.class);
                        Throwable pending = Curio.currentTask().cancelPending();
                        trail.add("caller got '" + body + "'; pending: "
                                + (pending == null ? "nothing" : pending.getClass().getSimpleName()));
                        Curio.sleep(0); // the next trap
                        trail.add("never: the next trap delivers the timeout");
                    });
                } catch (TaskTimeout e) {
                    trail.add("caller got TaskTimeout at its next trap");
                }
            });
            Curio.spawn("timekeeper", () -> {
                while (!(outWhileTheServerHoldsIt(caller) && caller.cancelPending() != null)) {
                    Curio.sleep(0.001);
                }
                trail.add("timekeeper sees the timeout pending while the caller is " + caller.state());
                slow.answer("quote 42");
            }).join();
            caller.join();
        }));
        assertThat(trail.events()).containsExactly(
                "caller calls the slow endpoint under a 20 ms timeout",
                "timekeeper sees the timeout pending while the caller is BLOCKED",
                "caller got 'quote 42'; pending: TaskTimeout",
                "caller got TaskTimeout at its next trap");
    }

    /**
     * The README's advice, tried: a read timeout bounds the blocking call itself (the server never
     * answers here); the Curio timeout that fell due meanwhile follows at the next trap.
     */
    @Test
    void aReadTimeoutEndsTheBlockedCallAndTheCurioTimeoutFollowsAtTheNextTrap() throws Exception {
        RestClient client = restClients.requestFactory(ClientHttpRequestFactoryBuilder.jdk()
                .build(HttpClientSettings.defaults().withReadTimeout(Duration.ofMillis(200)))).build();
        Trail trail = new Trail();
        Kernels.await(kernel, tasks.run("http-read-timeout", () -> {
            try {
                Curio.timeoutAfter(Duration.ofMillis(20), () -> {
                    trail.add("calls under a 20 ms Curio timeout and a 200 ms read timeout");
                    try {
                        client.get().uri(slow.uri()).retrieve().body(String.class);
                        trail.add("never: the server does not answer");
                    } catch (ResourceAccessException e) {
                        trail.add("the read timeout ended the call: " + e.getCause().getClass().getSimpleName());
                    }
                    Curio.sleep(0);
                    trail.add("never: the next trap delivers the timeout");
                });
            } catch (TaskTimeout e) {
                trail.add("TaskTimeout at the next trap");
            }
        }));
        slow.answer("too late"); // frees the server's thread
        assertThat(trail.events()).containsExactly(
                "calls under a 20 ms Curio timeout and a 200 ms read timeout",
                "the read timeout ended the call: HttpTimeoutException",
                "TaskTimeout at the next trap");
    }
}
