package dev.curio.actuate.web;

import static dev.curio.actuate.web.TestApp.get;
import static dev.curio.actuate.web.TestApp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * WebFlux (Reactor Netty), one port, the default access: the live page is served beside the
 * endpoint with the servlet page's headers, and a cancel is refused (405), audited once, and
 * leaves the task alone.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive", "management.endpoints.web.exposure.include=curio",
        "curio.kernel-name=flux"})
@ExtendWith(OutputCaptureExtension.class)
class ReactiveCurioEndpointReadOnlyHttpTest implements CancelPathSpellings {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Override
    public int actuatorPort() {
        return port;
    }

    @Override
    public boolean cancelAllowed() {
        return false;
    }

    @Override
    public CurioTasks tasks() {
        return tasks;
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    @Test
    void runsOnReactorNetty() {
        assertThat(((WebServerApplicationContext) context).getWebServer().getClass().getSimpleName())
                .isEqualTo("NettyWebServer");
    }

    @Test
    void thePageIsServedBesideTheEndpointWithItsHeaders() throws Exception {
        HttpResponse<String> page = TestApp.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/curio/tasks.html")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(TaskPage.POLICY);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("<title>Curio tasks</title>");
        assertThat(page.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(TaskPage.bytes());
        assertThat(get(port, "/actuator/curio").status()).isEqualTo(200);
        assertThat(get(port, "/actuator/curio/999999999").status()).as("the endpoint's {id} still answers").isEqualTo(404);
    }

    @Test
    void cancelIsRefused405AuditedOnceAndLeavesTheTask(CapturedOutput output) throws Exception {
        CompletableFuture<Long> id = new CompletableFuture<>();
        tasks.run("napper", () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        long i = id.join();
        TestApp.settle(kernel);

        TestApp.Answer cancel = postJson(port, "/actuator/curio/" + i, "{\"reason\":\"no\"}");
        assertThat(cancel.status()).isEqualTo(405);
        assertThat(cancel.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(cancel.json().get("error").asString()).isEqualTo("cancel is not allowed: management.endpoint.curio.access is read-only (the default) or capped by management.endpoints.access.max-permitted");
        assertThat(AuditLines.of(output, "task=" + i + " ")).containsExactly("curio-cancel source=endpoint kernel=flux task="
                + i + " group=false by=anonymous status=405 outcome=refused detail=\"cancel is not allowed:"
                + " management.endpoint.curio.access is read-only (the default) or capped by"
                + " management.endpoints.access.max-permitted\" reason=no"); // the caller's reason, not the default
        TestApp.settle(kernel);
        assertThat(get(port, "/actuator/curio/" + i).status()).isEqualTo(200); // still there
    }
}
