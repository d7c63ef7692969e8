package dev.curio.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.spring.boot.KernelFullException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code curio.max-tasks} in a web application: once the kernel holds its bound of live tasks, a
 * request whose work goes through {@link CurioRequests}, and one whose controller submits through
 * {@link CurioTasks}, are answered 503 with {@code Retry-After} and a problem body, counted in
 * {@code curio.tasks.refused}; once tasks have ended, requests are served again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"curio.kernel-name=bounded", "curio.max-tasks=8", "server.address=127.0.0.1"})
@AutoConfigureMetrics
class CurioAdmissionWebTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Handlers.class)
    static class App {}

    @RestController
    static class Handlers {
        private final CurioRequests requests;
        private final CurioTasks tasks;

        Handlers(CurioRequests requests, CurioTasks tasks) {
            this.requests = requests;
            this.tasks = tasks;
        }

        @GetMapping("/work")
        DeferredResult<String> work(HttpServletRequest request) {
            return requests.run(request, Duration.ofSeconds(30), group -> "done");
        }

        @GetMapping("/job")
        String job() throws Exception {
            return tasks.submit("job", () -> "done").get(30, TimeUnit.SECONDS);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CurioTasks tasks;

    @Autowired
    MeterRegistry registry;

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFullKernelAnswers503WithRetryAfterCountsItAndServesAgainOnceTasksEnd() throws Exception {
        assertThat(get("/work").body()).isEqualTo("done");
        // fill the kernel up to its bound with sleepers, each started before the next is submitted
        List<CompletableFuture<Object>> sleepers = new ArrayList<>();
        KernelFullException full = null;
        while (full == null) {
            CountDownLatch started = new CountDownLatch(1);
            try {
                sleepers.add(tasks.submit("sleeper", () -> {
                    started.countDown();
                    return Curio.sleep(Duration.ofHours(1));
                }));
                assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (KernelFullException e) {
                full = e;
            }
        }
        double refusedBefore = registry.get("curio.tasks.refused").tag("kernel", "bounded").functionCounter().count();
        assertThat(refusedBefore).isEqualTo(1);
        assertThat(registry.get("curio.tasks.max").tag("kernel", "bounded").gauge().value()).isEqualTo(8);

        for (String path : new String[] {"/work", "/job"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).as(path).hasValue("1");
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
            assertThat(r.body()).as(path).contains("\"status\":503", "\"exception\":\"KernelFullException\"",
                    "\"kernel\":\"bounded\"", "\"maxTasks\":8");
        }
        assertThat(registry.get("curio.tasks.refused").tag("kernel", "bounded").functionCounter().count())
                .isEqualTo(refusedBefore + 2);

        for (CompletableFuture<Object> s : sleepers) {
            s.cancel(true);
        }
        HttpResponse<String> again = get("/work");
        while (again.statusCode() == 503) {
            again = get("/work"); // until the cancelled sleepers have ended
        }
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("done");
    }
}
