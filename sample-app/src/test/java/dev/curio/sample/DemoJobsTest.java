package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.spring.boot.CurioTasks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A demo job asked for while another task holds the kernel: the answer is 202 saying so (it used
 * to be a 500 with an ERROR TimeoutException after 10 s), and the job starts once the kernel is free.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.chat.port=0", "sample.echo.port=0", "sample.job-start-timeout=1s"})
@ExtendWith(OutputCaptureExtension.class)
class DemoJobsTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    CurioTasks tasks;

    @Test
    void aBlockWhileAnotherHoldsTheKernelIs202AndStartsOnceTheKernelIsFree(CapturedOutput output) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        // holds the kernel as a long /demo/block does, but until told: a task that never suspends
        CompletableFuture<Void> holder = tasks.run("holder", () -> {
            holding.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        });
        assertThat(holding.await(60, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> r;
        try {
            r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/demo/block?ms=0")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            release.set(true);
        }
        holder.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).contains("\"name\":\"blocker\"").contains("not started within 1000 ms: another task holds the"
                + " kernel; the job starts once the kernel is free").doesNotContain("\"id\"");
        while (!output.getOut().contains("job blocker started as task ")) {
            Thread.onSpinWait(); // the job starts once the holder has let the kernel go
        }
        assertThat(output.getAll().lines().filter(l -> l.contains("ERROR") || l.contains("TimeoutException")))
                .as("nothing logged as an error").isEmpty();
    }
}
