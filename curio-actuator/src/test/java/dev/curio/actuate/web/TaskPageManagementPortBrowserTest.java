package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The README's own security advice, a separate management port (and a base path of its own):
 * the page is served there, beside the endpoint, and works; the application's port serves
 * neither the page nor the endpoint (the page used to be served on the app port, where it could
 * only say "the endpoint answered 404"). The cancel filter lives there too: a refused cancel on
 * the management port is audited.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "management.server.address=127.0.0.1", "management.server.base-path=/ops",
        "management.endpoints.web.exposure.include=curio", "curio.kernel-name=web"})
@ExtendWith(OutputCaptureExtension.class)
class TaskPageManagementPortBrowserTest {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Test
    void thePageIsServedOnTheManagementPortBesideTheEndpointAndWorks(CapturedOutput output) throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        CompletableFuture<Long> id = new CompletableFuture<>();
        tasks.run("ops-task", () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        long i = id.join();
        TestApp.settle(kernel);

        TestApp.Answer page = TestApp.get(managementPort, "/ops/actuator/curio/tasks.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<title>Curio tasks</title>");
        assertThat(TestApp.get(port, "/ops/actuator/curio/tasks.html").status()).isEqualTo(404);
        assertThat(TestApp.get(port, "/actuator/curio/tasks.html").status()).isEqualTo(404);
        assertThat(TestApp.get(port, "/curio/tasks.html").status()).as("no longer a public static file").isEqualTo(404);

        TestApp.Answer cancel = TestApp.postJson(managementPort, "/ops/actuator/curio/" + i, "{}");
        assertThat(cancel.status()).isEqualTo(405);
        assertThat(output.getOut()).contains("curio-cancel source=endpoint kernel=web task=" + i
                + " group=false by=anonymous status=405 outcome=refused");
        // Anyone who reaches the port: a multipart body is refused like any other, no 500, no stack trace
        TestApp.Answer multipart = TestApp.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + managementPort + "/ops/actuator/curio/" + i))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data;"
                        + " name=\"reason\"\r\n\r\ngone\r\n--x--\r\n")).build());
        assertThat(multipart.status()).isEqualTo(405);
        assertThat(output.getOut()).doesNotContain("MultipartException");

        try (Browser b = Browser.open()) {
            b.driver.get("http://127.0.0.1:" + managementPort + "/ops/actuator/curio/tasks.html");
            b.waiting().until(visibilityOfElementLocated(By.cssSelector("#tasks tbody tr.task[data-id='" + i + "']")));
            b.driver.findElement(By.id("auto")).click(); // no 2 s re-render under the click
            b.driver.executeScript("document.querySelector(\"#tasks tbody tr.task[data-id='" + i + "']\").click()");
            b.waiting().until(textToBePresentInElementLocated(By.id("detail-title"), "Task " + i + " ops-task"));
            assertThat(b.driver.findElement(By.id("error")).getText()).isEmpty();
            assertThat(b.driver.findElement(By.id("summary")).getText()).contains("read-only");
        }
    }
}
