package dev.curio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.kernel.BlockingCalls;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.client.RestClient;

/**
 * The documented limit of the default carrier ({@code curio.carrier=default}, the JDK's
 * virtual-thread scheduler): it cannot hold a woken task back until its turn, so a task blocked in
 * a JDK call cannot step out; the kernel keeps Curio's strict rule there and says so
 * ({@link Kernel#blockingCalls()} is HOLD): the task holds the kernel for the whole call, and the
 * kernel's other tasks wait for it. Here a RestClient call to the test's slow endpoint, which the
 * test thread (not a task: none can run) tells to answer.
 */
@SpringBootTest(properties = {"curio.kernel-name=strict", "curio.carrier=default",
        "spring.http.clients.imperative.factory=jdk"})
class DefaultCarrierBlockingCallsSpringBootTests {

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

    @Test
    void onTheDefaultCarrierABlockingCallHoldsTheKernelAndTheOtherTasksWait() throws Exception {
        assertThat(kernel.carrierKind()).isEqualTo("default");
        assertThat(kernel.blockingCalls()).isEqualTo(BlockingCalls.HOLD);
        RestClient client = restClients.build();
        Trail trail = new Trail();
        AtomicReference<Task<?>> callerRef = new AtomicReference<>();
        CompletableFuture<Void> work = tasks.run("strict", () -> {
            Task<?> caller = Curio.spawn("caller", () -> {
                trail.add("caller calls the slow endpoint");
                String body = client.get().uri(slow.uri()).retrieve().body(String.class);
                trail.add("caller got '" + body + "'");
            });
            callerRef.set(caller);
            Task<?> other = Curio.spawn("other", () -> {
                while (!trail.events().contains("caller calls the slow endpoint")) {
                    Curio.sleep(0.001);
                }
                trail.add("other runs; the caller is " + caller.state());
            });
            caller.join();
            other.join();
        });
        slow.arrived().get(30, TimeUnit.SECONDS);
        trail.add("the server holds the request (the test thread tells it to answer)");
        slow.answer("quote 42");
        Kernels.await(kernel, work);
        assertThat(trail.events()).containsExactly(
                "caller calls the slow endpoint",
                "the server holds the request (the test thread tells it to answer)",
                "caller got 'quote 42'",
                "other runs; the caller is TERMINATED");
        assertThat(callerRef.get().stepOuts()).isZero();
    }
}
