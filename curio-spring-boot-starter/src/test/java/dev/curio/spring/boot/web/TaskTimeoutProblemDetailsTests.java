package dev.curio.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.spring.boot.CurioTasks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The README's {@code CurioTasks} example whose {@code Curio.timeoutAfter} expires, behind a real
 * server on 127.0.0.1 (Tomcat for Spring MVC, Netty for WebFlux) and the JDK's HTTP client: the
 * client gets 503 with a problem body, and the log has no ERROR line; an application's own
 * {@code @ControllerAdvice} for {@code TaskTimeout} answers instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskTimeoutProblemDetailsTests {

    /** The README's controller, with a quote that takes ten minutes and a 50 ms timeout. */
    @RestController
    static class Quotes {
        private final CurioTasks curio;

        Quotes(CurioTasks curio) {
            this.curio = curio;
        }

        @GetMapping("/quote")
        CompletableFuture<String> quote() {
            return curio.submit("quote", () -> Curio.timeoutAfter(Duration.ofMillis(50), () -> {
                Curio.sleep(Duration.ofMinutes(10));
                return "too late";
            }));
        }

        /** The same work, joined on the request thread (a blocking MVC handler). */
        @GetMapping("/quote-joined")
        String quoteJoined() {
            return quote().join();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Quotes.class)
    static class App {
    }

    /** An application that answers task timeouts its own way. */
    @ControllerAdvice
    static class OwnTimeoutAdvice {
        @ExceptionHandler(TaskTimeout.class)
        ResponseEntity<String> timeout(TaskTimeout e) {
            return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body("mine");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Quotes.class, OwnTimeoutAdvice.class})
    static class AppWithOwnAdvice {
    }

    @Test
    void mvcFutureThatTimesOutAnswers503ProblemWithoutErrorLines(CapturedOutput output) throws Exception {
        try (var ctx = start(App.class, WebApplicationType.SERVLET)) {
            HttpResponse<String> r = get(ctx, "/quote");
            assertProblem503(r);
        }
        assertThat(output.getAll()).doesNotContain("ERROR");
    }

    @Test
    void mvcHandlerThatJoinsATimedOutTaskAnswers503Problem(CapturedOutput output) throws Exception {
        try (var ctx = start(App.class, WebApplicationType.SERVLET)) {
            assertProblem503(get(ctx, "/quote-joined"));
        }
        assertThat(output.getAll()).doesNotContain("ERROR");
    }

    @Test
    void webfluxFutureThatTimesOutAnswers503ProblemWithoutErrorLines(CapturedOutput output) throws Exception {
        try (var ctx = start(App.class, WebApplicationType.REACTIVE)) {
            assertProblem503(get(ctx, "/quote"));
        }
        assertThat(output.getAll()).doesNotContain("ERROR");
    }

    @Test
    void applicationsOwnAdviceWinsOnMvc() throws Exception {
        try (var ctx = start(AppWithOwnAdvice.class, WebApplicationType.SERVLET)) {
            HttpResponse<String> r = get(ctx, "/quote");
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).isEqualTo("mine");
        }
    }

    @Test
    void applicationsOwnAdviceWinsOnWebflux() throws Exception {
        try (var ctx = start(AppWithOwnAdvice.class, WebApplicationType.REACTIVE)) {
            HttpResponse<String> r = get(ctx, "/quote");
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).isEqualTo("mine");
        }
    }

    @Test
    void applicationsOwnAdviceBeanReplacesTheStartersOne() {
        try (var ctx = new SpringApplicationBuilder(App.class, OwnAdviceBean.class)
                .web(WebApplicationType.SERVLET).run("--server.port=0", "--server.address=127.0.0.1")) {
            assertThat(ctx.getBeansOfType(TaskTimeoutProblemAdvice.class)).containsOnlyKeys("ownAdvice");
        }
    }

    static class OwnAdviceBean {
        @Bean
        TaskTimeoutProblemAdvice ownAdvice() {
            return new TaskTimeoutProblemAdvice();
        }
    }

    private static void assertProblem503(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"status\":503", "\"title\":\"Service Unavailable\"",
                "\"detail\":\"The work for this request did not finish within its timeout.\"",
                "\"exception\":\"TaskTimeout\"");
    }

    private static ConfigurableApplicationContext start(Class<?> app, WebApplicationType type) {
        return new SpringApplicationBuilder(app).web(type)
                .run("--server.port=0", "--server.address=127.0.0.1", "--curio.kernel-name=web-timeouts");
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext ctx, String path) throws Exception {
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
