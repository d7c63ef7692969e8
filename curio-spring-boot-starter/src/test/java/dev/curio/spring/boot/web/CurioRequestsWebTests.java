package dev.curio.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.kernel.Activation;
import dev.curio.kernel.Task;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

/**
 * Request-scoped task groups behind a real Tomcat on a random loopback port, driven by the JDK's
 * HTTP client: the group's tasks see their cancellation when the client hangs up (seen by the
 * disconnect probe's write) and when the work's timeout elapses; a request that finishes returns
 * its result. (Structured concurrency as in Curio's test_taskgroup: no member outlives its group.)
 * The container's own end of the request: {@link CurioRequestsContainerTimeoutTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"curio.kernel-name=web", "spring.mvc.async.request-timeout=5m"})
class CurioRequestsWebTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Members members() {
            return new Members();
        }

        @Bean
        Activation requestEnds(Members members) {
            return new Activation() {
                @Override
                public void terminated(Task<?> task) {
                    if (task.name() != null && task.name().startsWith("http ")) {
                        Throwable e = task.exception();
                        members.ended(task.name() + " ended: " + (e == null ? "returned"
                                : e.getClass().getSimpleName() + " " + e.getMessage()));
                    }
                }
            };
        }

        @Bean
        Handlers handlers(CurioRequests requests, Members members) {
            return new Handlers(requests, members);
        }
    }

    /** What the group's tasks and the request's task did, in order; futures to wait on. */
    static final class Members {
        final List<String> events = new ArrayList<>();
        CompletableFuture<Void> bothRunning = new CompletableFuture<>();
        CompletableFuture<Void> bothCancelled = new CompletableFuture<>();
        CompletableFuture<Void> requestEnded = new CompletableFuture<>();
        int running;
        int cancelled;

        synchronized void reset() {
            events.clear();
            bothRunning = new CompletableFuture<>();
            bothCancelled = new CompletableFuture<>();
            requestEnded = new CompletableFuture<>();
            running = 0;
            cancelled = 0;
        }

        synchronized void add(String event) {
            events.add(event);
            if (event.endsWith(" running") && ++running == 2) {
                bothRunning.complete(null);
            }
            if (event.contains(" cancelled") && ++cancelled == 2) {
                bothCancelled.complete(null);
            }
        }

        synchronized void ended(String event) {
            events.add(event);
            requestEnded.complete(null);
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        /** A member that runs until cancelled, recording both. */
        Void sleeper(String name) {
            add(name + " running");
            try {
                Curio.sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                add(name + " cancelled (" + e.getClass().getSimpleName() + ")");
                throw e;
            }
            return null;
        }
    }

    @RestController
    static class Handlers {
        private final CurioRequests requests;
        private final Members members;

        Handlers(CurioRequests requests, Members members) {
            this.requests = requests;
            this.members = members;
        }

        /** Two members that never finish on their own; the probe watches the client. */
        @GetMapping("/hang")
        DeferredResult<String> hang(HttpServletRequest request, HttpServletResponse response) {
            return requests.run(request, response, Duration.ofHours(1), DisconnectProbe.json(Duration.ofMillis(20)), group -> {
                group.spawn("a", () -> members.sleeper("a"));
                group.spawn("b", () -> members.sleeper("b"));
                group.join();
                return "\"never\"";
            });
        }

        /** The same members under a short work timeout. */
        @GetMapping("/late")
        DeferredResult<String> late(HttpServletRequest request) {
            return requests.run(request, Duration.ofMillis(50), group -> {
                group.spawn("a", () -> members.sleeper("a"));
                group.spawn("b", () -> members.sleeper("b"));
                group.join();
                return "never";
            });
        }

        /** Work that refuses the request as a controller would: Spring answers it, nothing more. */
        @GetMapping("/missing")
        DeferredResult<String> missing(HttpServletRequest request) {
            return requests.run(request, Duration.ofMinutes(1), group -> {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such quote");
            });
        }

        /** Members that finish: their results make the body. */
        @GetMapping("/sum")
        DeferredResult<String> sum(HttpServletRequest request) {
            return requests.run(request, Duration.ofMinutes(1), group -> {
                Task<Integer> a = group.spawn("a", () -> 20);
                Task<Integer> b = group.spawn("b", () -> Curio.spawn("grandchild", () -> 22).join());
                group.join();
                return "sum=" + (a.result() + b.result());
            });
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Members members;

    @BeforeEach
    void reset() {
        members.reset();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }

    @Test
    void aClientThatHangsUpCancelsTheRequestsTaskGroup() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(get("/hang"), HttpResponse.BodyHandlers.ofString());
        members.bothRunning.get(30, TimeUnit.SECONDS);
        members.add("client hangs up");
        client.shutdownNow(); // closes the connection mid-request
        members.bothCancelled.get(30, TimeUnit.SECONDS);
        members.requestEnded.get(30, TimeUnit.SECONDS);
        assertThat(members.events()).containsExactly(
                "a running", "b running", "client hangs up",
                "a cancelled (TaskCancelled)", "b cancelled (TaskCancelled)",
                "http GET /hang ended: TaskCancelled client disconnected: http GET /hang");
        assertThatThrownBy(() -> response.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void theWorksTimeoutCancelsTheGroupAndAnswers503() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(get("/late"), HttpResponse.BodyHandlers.ofString());
            members.requestEnded.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(503);
        }
        // the timeout is the request task's; its group's join is cancelled, which cancels the members
        List<String> events = members.events();
        assertThat(events).hasSize(5);
        assertThat(events.subList(0, 4)).containsExactly("a running", "b running",
                "a cancelled (TaskCancelled)", "b cancelled (TaskCancelled)");
        assertThat(events.get(4)).startsWith("http GET /late ended: TaskTimeout");
    }

    @Test
    void workThatRefusesTheRequestGets404AndNoTaskCrashInTheLog(CapturedOutput output) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(get("/missing"), HttpResponse.BodyHandlers.ofString());
            members.requestEnded.get(30, TimeUnit.SECONDS); // after the point where a crash is logged
            assertThat(response.statusCode()).isEqualTo(404);
        }
        assertThat(members.events()).containsExactly(
                "http GET /missing ended: ResponseStatusException 404 NOT_FOUND \"no such quote\"");
        assertThat(output.getAll()).doesNotContain("Task Crash");
    }

    @Test
    void aRequestThatFinishesAnswersWithTheGroupsResults() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(get("/sum"), HttpResponse.BodyHandlers.ofString());
            members.requestEnded.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("sum=42");
        }
        assertThat(members.events()).containsExactly("http GET /sum ended: returned");
    }
}
