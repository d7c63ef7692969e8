package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.curio.CancelledError;
import dev.curio.Curio;
import dev.curio.TaskTimeout;
import dev.curio.kernel.Kernel;
import dev.curio.kernel.Task;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.task.TaskGroup;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The live task page in headless chromium, with cancel allowed, served beside the endpoint at
 * {@code /actuator/curio/tasks.html}. The scenario is the README's hello.py: a parent joins a kid
 * it spawned in a task group named "kids", and a dozen sleepers fill the table above them. A click
 * on the kid opens its detail under its row, in view; its stack starts at the test's own frame
 * (Curio's and the JDK's frames folded behind a toggle); its parent and the parent's children are
 * links; the group column shows the group's name; an unknown state filter says so; the cancel
 * button cancels with the typed reason and the table refreshes itself without the kid. A
 * screenshot is left in target/curio-task-page.png. A second scenario: a task blocked in
 * {@code LinkedBlockingQueue.take()}, out of the kernel, with a timeout pending
 * (target/curio-task-page-blocked.png).
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
        return By.cssSelector("#tasks tbody tr.task[data-id='" + id + "']");
    }

    @Test
    void detailUnderTheRowUserFrameFirstLinksGroupNamesFilterErrorsAndCancel() throws Exception {
        for (int i = 0; i < 40; i++) { // enough rows that the kid's is below the first screen
            tasks.run("filler-" + i, () -> Curio.sleep(3600));
        }
        CompletableFuture<Long> kidId = new CompletableFuture<>();
        CompletableFuture<Long> parentId = new CompletableFuture<>();
        CompletableFuture<String> kidSaw = new CompletableFuture<>();
        tasks.run("page-parent", () -> {
            parentId.complete(Curio.currentTask().id());
            try (TaskGroup kids = new TaskGroup("kids", TaskGroup.Wait.ALL)) {
                kids.spawn("page-kid", () -> {
                    kidId.complete(Curio.currentTask().id());
                    try {
                        Curio.sleep(3600);
                    } catch (CancelledError e) {
                        kidSaw.complete(e.getMessage());
                        throw e;
                    }
                });
                kids.join();
            }
        });
        long kid = kidId.join();
        long parent = parentId.join();
        TestApp.settle(kernel);

        try (Browser b = Browser.open()) {
            b.driver.get("http://127.0.0.1:" + port + "/actuator/curio/tasks.html");
            b.waiting().until(visibilityOfElementLocated(row(kid)));
            // the 2 s refresh re-renders the rows: stop it; what follows refreshes on the user's own
            // actions (filter, cancel). Rows are read and clicked in one script, as one instant.
            b.driver.findElement(By.id("auto")).click();
            assertThat(b.driver.executeScript("return [...document.querySelector(\"#tasks tbody tr.task[data-id='" + kid
                    + "']\").cells].map(c => c.textContent)")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                    .startsWith(String.valueOf(kid), "page-kid", "TIME_SLEEP")
                    .element(7).as("group column").isEqualTo("kids");
            assertThat(b.driver.findElement(By.id("summary")).getText()).doesNotContain("read-only");

            b.driver.executeScript("const r = document.querySelector(\"#tasks tbody tr.task[data-id='" + kid + "']\");"
                    + " r.scrollIntoView({block: 'center'}); r.click();");
            b.waiting().until(textToBePresentInElementLocated(By.id("detail-title"), "Task " + kid + " page-kid"));
            assertThat(b.driver.findElement(By.id("detail-title")).getText()).isEqualTo("Task " + kid + " page-kid — TIME_SLEEP");
            // where the user is looking: the row right under the clicked one, inside the window
            assertThat(b.driver.executeScript("const d = document.getElementById('detail-row');"
                    + " return d.previousElementSibling.dataset.id + ' ' + d.contains(document.getElementById('detail'));"))
                    .isEqualTo(kid + " true");
            assertThat((Boolean) b.driver.executeScript("const r = document.getElementById('detail').getBoundingClientRect();"
                    + " return r.top >= 0 && r.top < window.innerHeight;")).isTrue();
            // the stack starts at the user's frame; the library's frames are folded behind a toggle
            String stack = b.driver.findElement(By.id("stack")).getText();
            assertThat(stack.lines().findFirst().orElseThrow()).startsWith("at dev.curio.actuate.web.TaskPageBrowserTest.lambda$");
            assertThat(stack).doesNotContain("dev.curio.Curio.sleep");
            WebElement toggle = b.driver.findElement(By.id("library-toggle"));
            assertThat(toggle.getText()).matches("show \\d+ library frames \\(kernel, JDK\\)");
            assertThat(b.driver.findElement(By.id("library-frames")).isDisplayed()).isFalse();
            toggle.click();
            assertThat(b.driver.findElement(By.id("library-frames")).getText()).contains("at dev.curio.Curio.sleep");
            assertThat(toggle.getText()).startsWith("hide ");
            assertThat(b.driver.findElement(By.id("detail-group")).getText()).isEqualTo("kids");
            File shot = b.screenshot("curio-task-page.png");
            assertThat(shot.length()).isPositive();

            // parent and children are links
            b.driver.findElement(By.cssSelector("#parent a.task-link")).click();
            b.waiting().until(textToBePresentInElementLocated(By.id("detail-title"), "Task " + parent + " page-parent"));
            assertThat(b.driver.executeScript("return document.getElementById('detail-row').previousElementSibling.dataset.id"))
                    .isEqualTo(String.valueOf(parent));
            b.driver.findElement(By.cssSelector("#children a.task-link[data-id='" + kid + "']")).click();
            b.waiting().until(textToBePresentInElementLocated(By.id("detail-title"), "Task " + kid + " page-kid"));

            // an unknown state filter says so, with the valid states
            WebElement state = b.driver.findElement(By.id("state"));
            state.sendKeys("SLEEPING");
            b.waiting().until(textToBePresentInElementLocated(By.id("filter-error"), "unknown state SLEEPING; valid states: "));
            assertThat(b.driver.findElement(By.id("filter-error")).getText()).contains("TIME_SLEEP");
            state.clear();
            state.sendKeys("time_sleep");
            b.waiting().until(invisibilityOfElementLocated(By.cssSelector("#filter-error:not(:empty)")));
            // the re-rendered table keeps the open detail under its row
            b.waiting().until(d -> String.valueOf(kid).equals(b.driver.executeScript(
                    "const d = document.getElementById('detail-row'); return d && d.previousElementSibling.dataset.id;")));

            b.driver.findElement(By.id("reason")).sendKeys("cancelled from the page");
            b.driver.findElement(By.id("cancel")).click();
            b.waiting().until(textToBePresentInElementLocated(By.id("cancel-result"), "Cancelled tasks " + kid));
            assertThat(kidSaw.join()).isEqualTo("cancelled from the page");
            b.waiting().until(invisibilityOfElementLocated(row(kid))); // the table refreshed without it
        }
    }

    @Test
    void aTaskOutOfTheKernelShowsForHowLongWhatItBlocksInAndItsPendingTimeout() throws Exception {
        // an importer blocks in LinkedBlockingQueue.take() under a 50 ms timeout: it steps out of the
        // kernel, the timeout falls due while it is out and waits for its next trap
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        CompletableFuture<Task<?>> importer = new CompletableFuture<>();
        List<String> trail = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CompletableFuture<Void> done = tasks.run("page-importer", () -> {
            importer.complete(Curio.currentTask());
            try {
                Curio.timeoutAfter(Duration.ofMillis(50), () -> {
                    trail.add("took " + queue.take());
                    Curio.sleep(0);
                });
            } catch (TaskTimeout e) {
                trail.add("TaskTimeout at the next trap");
            }
        });
        Task<?> t = importer.join();
        while (!kernel.inKernel(k -> t.steppedOut() && t.cancelPending() != null).join()) {
            Thread.onSpinWait(); // until the timeout fell due while the importer is out
        }
        try (Browser b = Browser.open()) {
            b.driver.get("http://127.0.0.1:" + port + "/actuator/curio/tasks.html");
            b.waiting().until(visibilityOfElementLocated(row(t.id())));
            b.driver.findElement(By.id("auto")).click();
            assertThat(b.driver.findElement(By.id("summary")).getText()).contains("blocking calls step out");
            @SuppressWarnings("unchecked")
            List<Object> cells = (List<Object>) b.driver.executeScript("return [...document.querySelector(\"#tasks tbody"
                    + " tr.task[data-id='" + t.id() + "']\").cells].map(c => c.textContent)");
            assertThat(cells).hasSize(12).startsWith(String.valueOf(t.id()), "page-importer", "BLOCKED TaskTimeout pending");
            assertThat((String) cells.get(9)).as("out (s)").matches("\\d+\\.\\d{3}");
            assertThat((String) cells.get(10)).as("blocked in").startsWith("LinkedBlockingQueue.take (called from"
                    + " dev.curio.actuate.web.TaskPageBrowserTest.lambda$");

            b.driver.executeScript("document.querySelector(\"#tasks tbody tr.task[data-id='" + t.id() + "']\").click();");
            b.waiting().until(textToBePresentInElementLocated(By.id("detail-title"), "Task " + t.id() + " page-importer"));
            assertThat(b.driver.findElement(By.id("detail-title")).getText())
                    .isEqualTo("Task " + t.id() + " page-importer — BLOCKED");
            assertThat(b.driver.findElement(By.id("detail-out")).getText())
                    .matches("Out of the kernel for \\d+\\.\\d{3} s \\(stepped out 1 time\\), blocked in"
                            + " LinkedBlockingQueue\\.take \\(called from dev\\.curio\\.actuate\\.web\\.TaskPageBrowserTest\\.lambda\\$.*");
            assertThat(b.driver.findElement(By.id("detail-pending")).getText())
                    .isEqualTo("TaskTimeout pending: delivered at its next trap");
            assertThat(b.screenshot("curio-task-page-blocked.png").length()).isPositive();
        } finally {
            queue.put("x");
        }
        done.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(trail).containsExactly("took x", "TaskTimeout at the next trap");
    }
}
