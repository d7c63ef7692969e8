package dev.curio.actuate.web;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web application of the HTTP tests: Spring MVC, actuator, the starter and curio-actuator.
 * Spring Security is on the test class path for the secured tests (SecuredCurioEndpointHttpTest,
 * ReactiveSecuredCurioEndpointHttpTest, which have applications of their own); it is left out here,
 * or Boot's defaults would put every endpoint behind a generated password.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration"})
public class TestApp {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    record Answer(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    }

    static Answer get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    static Answer postJson(int port, String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A task asleep for an hour: its id, and the future of its end (through {@code tasks.run}). */
    record Sleeper(long id, CompletableFuture<Void> done) {}

    /** Starts a {@link Sleeper} named {@code name} and returns once it sleeps. */
    static Sleeper sleeper(CurioTasks tasks, Kernel kernel, String name) {
        CompletableFuture<Long> id = new CompletableFuture<>();
        CompletableFuture<Void> done = tasks.run(name, () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        long i = id.join();
        settle(kernel);
        return new Sleeper(i, done);
    }

    /** Returns once no task of the kernel is ready (each has run and suspended). */
    static void settle(Kernel kernel) {
        while (kernel.inKernel(Kernel::readyCount).join() > 0) {
            Thread.onSpinWait();
        }
    }
}
