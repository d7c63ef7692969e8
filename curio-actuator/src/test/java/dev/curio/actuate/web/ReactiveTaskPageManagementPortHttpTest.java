package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * WebFlux with a separate management port and base path: Boot's child management context serves
 * the page beside the endpoint and runs the cancel filter there (a refused cancel is audited);
 * the application's port serves neither.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive", "management.server.port=0",
        "management.server.address=127.0.0.1", "management.server.base-path=/ops",
        "management.endpoints.web.exposure.include=curio", "curio.kernel-name=flux",
        // this module's tests have Tomcat (for Spring MVC) beside Netty; a WebFlux application has only Netty
        "spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration"})
@ExtendWith(OutputCaptureExtension.class)
class ReactiveTaskPageManagementPortHttpTest implements CancelPathSpellings {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Override
    public int actuatorPort() {
        return managementPort;
    }

    @Override
    public String basePath() {
        return "/ops";
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
    void thePageAndTheFilterAreOnTheManagementPortOnly(CapturedOutput output) throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        TestApp.Answer page = TestApp.get(managementPort, "/ops/actuator/curio/tasks.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<title>Curio tasks</title>");
        assertThat(TestApp.get(managementPort, "/ops/actuator/curio").status()).isEqualTo(200);
        assertThat(TestApp.get(port, "/ops/actuator/curio/tasks.html").status()).isEqualTo(404);
        assertThat(TestApp.get(port, "/actuator/curio/tasks.html").status()).isEqualTo(404);

        CompletableFuture<Long> id = new CompletableFuture<>();
        tasks.run("ops-task", () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        long i = id.join();
        TestApp.settle(kernel);
        TestApp.Answer cancel = TestApp.postJson(managementPort, "/ops/actuator/curio/" + i, "{}");
        assertThat(cancel.status()).isEqualTo(405);
        assertThat(AuditLines.of(output, "task=" + i + " ")).containsExactly("curio-cancel source=endpoint kernel=flux"
                + " task=" + i + " group=false by=anonymous status=405 outcome=refused detail=\"cancel is not allowed:"
                + " management.endpoint.curio.access is read-only (the default) or capped by"
                + " management.endpoints.access.max-permitted\" reason=\"cancelled through the curio actuator endpoint\"");
        TestApp.Answer badId = TestApp.postJson(managementPort, "/ops/actuator/curio/abc", "{}");
        assertThat(badId.status()).isEqualTo(405); // read-only: refused whatever the request says
        assertThat(AuditLines.of(output, "task=abc ")).hasSize(1);
    }
}
