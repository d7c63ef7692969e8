package dev.curio.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.kernel.Activation;
import dev.curio.kernel.Task;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The request ends before its work: the container's async timeout
 * ({@code spring.mvc.async.request-timeout}, here far shorter than the work's own) cancels the
 * request's task and its group's tasks, which see it, and the client gets Spring's 503.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"curio.kernel-name=web-timeout", "spring.mvc.async.request-timeout=100ms"})
class CurioRequestsContainerTimeoutTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Events events() {
            return new Events();
        }

        @Bean
        Activation requestEnds(Events events) {
            return new Activation() {
                @Override
                public void terminated(Task<?> task) {
                    if (task.name() != null && task.name().startsWith("http ")) {
                        events.add(task.name() + " ended: " + task.exception().getMessage());
                        events.ended.complete(null);
                    }
                }
            };
        }

        @Bean
        Handler handler(CurioRequests requests, Events events) {
            return new Handler(requests, events);
        }
    }

    static final class Events {
        private final List<String> list = new ArrayList<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        synchronized void add(String e) {
            list.add(e);
        }

        synchronized List<String> list() {
            return List.copyOf(list);
        }
    }

    @RestController
    static class Handler {
        private final CurioRequests requests;
        private final Events events;

        Handler(CurioRequests requests, Events events) {
            this.requests = requests;
            this.events = events;
        }

        @GetMapping("/slow")
        DeferredResult<String> slow(HttpServletRequest request) {
            return requests.run(request, Duration.ofHours(1), group -> {
                group.spawn("worker", () -> {
                    events.add("worker running");
                    try {
                        return Curio.sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                        events.add("worker cancelled (" + e.getClass().getSimpleName() + ")");
                        throw e;
                    }
                });
                group.join();
                return "never";
            });
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Events events;

    @Test
    void theContainersTimeoutEndsTheRequestAndCancelsItsGroup() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            events.ended.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(503);
        }
        assertThat(events.list()).containsExactly("worker running", "worker cancelled (TaskCancelled)",
                "http GET /slow ended: request timed out in the container: http GET /slow");
    }
}
