package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The live task page with the endpoint's default access: stacks on click, no cancel button. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=curio,health,prometheus",
        "management.endpoint.health.show-details=always", "curio.kernel-name=web"})
@AutoConfigureMetrics
class TaskPageReadOnlyBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Test
    void readOnlyPageHasNoCancelButton() throws Exception {
        CompletableFuture<Long> id = new CompletableFuture<>();
        tasks.run("watched", () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        CompletableFuture<Long> odd = new CompletableFuture<>();
        tasks.run("<b id='injected'>bold</b>", () -> { // a name is data, never markup
            odd.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        odd.join();
        long i = id.join();
        TestApp.settle(kernel);
        try (Browser b = Browser.open()) {
            b.driver.get("http://127.0.0.1:" + port + "/actuator/curio/tasks.html");
            b.waiting().until(visibilityOfElementLocated(By.cssSelector("#tasks tbody tr[data-id='" + i + "']")));
            b.driver.findElement(By.id("auto")).click(); // no 2 s re-render under the click
            b.driver.executeScript("document.querySelector(\"#tasks tbody tr[data-id='" + i + "']\").click()");
            b.waiting().until(textToBePresentInElementLocated(By.id("detail-title"), "Task " + i + " watched"));
            assertThat(b.driver.findElement(By.id("summary")).getText()).contains("read-only");
            assertThat(b.driver.findElement(By.id("cancel-box")).isDisplayed()).isFalse();
            assertThat(b.driver.findElement(By.id("stack")).getText()).startsWith("at dev.curio.actuate.web.TaskPageReadOnlyBrowserTest.lambda$");
            assertThat(b.driver.executeScript("return document.querySelector(\"#tasks tbody tr[data-id='" + odd.join()
                    + "'] td:nth-child(2)\").textContent")).isEqualTo("<b id='injected'>bold</b>");
            assertThat(b.driver.findElements(By.id("injected"))).isEmpty();
        }
    }
}
