package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.io.File;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The live task page in headless chromium, with cancel allowed: the table shows a parent and the
 * kid it joins (the README's hello.py), a click shows the kid's stack, the cancel button cancels
 * it with the typed reason, and the table refreshes itself without it. A screenshot is left in
 * target/curio-task-page.png.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=curio", "management.endpoint.curio.access=unrestricted",
        "curio.kernel-name=web"})
class TaskPageBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    private static By row(long id) {
        return By.cssSelector("#tasks tbody tr[data-id='" + id + "']");
    }

    @Test
    void tableStackOnClickCancelButtonAndRefresh() throws Exception {
        CompletableFuture<Long> kidId = new CompletableFuture<>();
        CompletableFuture<String> kidSaw = new CompletableFuture<>();
        tasks.run("page-parent", () -> {
            var kid = Curio.spawn("page-kid", () -> {
                kidId.complete(Curio.currentTask().id());
                try {
                    Curio.sleep(3600);
                } catch (CancelledError e) {
                    kidSaw.complete(e.getMessage());
                    throw e;
                }
            });
            kid.await();
        });
        long kid = kidId.join();
        TestApp.settle(kernel);

        try (Browser b = Browser.open()) {
            b.driver.get("http://127.0.0.1:" + port + "/curio/tasks.html");
            WebElement r = b.waiting().until(visibilityOfElementLocated(row(kid)));
            assertThat(r.findElements(By.tagName("td"))).extracting(WebElement::getText)
                    .startsWith(String.valueOf(kid), "page-kid", "TIME_SLEEP");
            assertThat(b.driver.findElement(By.id("summary")).getText()).doesNotContain("read-only");

            r.click();
            b.waiting().until(textToBePresentInElementLocated(By.id("stack"), "at dev.curio.Curio.sleep"));
            assertThat(b.driver.findElement(By.id("detail-title")).getText()).isEqualTo("Task " + kid + " page-kid — TIME_SLEEP");
            File shot = b.screenshot("curio-task-page.png");
            assertThat(shot.length()).isPositive();

            b.driver.findElement(By.id("reason")).sendKeys("cancelled from the page");
            b.driver.findElement(By.id("cancel")).click();
            b.waiting().until(textToBePresentInElementLocated(By.id("cancel-result"), "Cancelled tasks " + kid));
            assertThat(kidSaw.join()).isEqualTo("cancelled from the page");
            b.waiting().until(invisibilityOfElementLocated(row(kid))); // the table refreshed without it
        }
    }
}
