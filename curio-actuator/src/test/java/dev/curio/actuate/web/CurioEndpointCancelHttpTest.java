package dev.curio.actuate.web;

import static dev.curio.actuate.web.TestApp.get;
import static dev.curio.actuate.web.TestApp.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.Curio;
import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The endpoint over real HTTP once the operator allows writes: cancel works, with its reason and audit line. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=curio", "management.endpoint.curio.access=unrestricted",
        "curio.kernel-name=web"})
@ExtendWith(OutputCaptureExtension.class)
class CurioEndpointCancelHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    @Test
    void cancelCarriesTheReasonToTheTaskAndIsAudited(CapturedOutput output) throws Exception {
        CompletableFuture<Long> id = new CompletableFuture<>();
        CompletableFuture<Void> done = tasks.run("stuck", () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        long i = id.join();
        TestApp.settle(kernel);
        assertThat(get(port, "/actuator/curio").json().get("cancelAllowed").asBoolean()).isTrue();

        TestApp.Answer r = postJson(port, "/actuator/curio/" + i, "{\"reason\":\"stuck for an hour\"}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("name").asString()).isEqualTo("stuck");
        assertThat(j.get("cancelled").get(0).asLong()).isEqualTo(i);
        assertThatThrownBy(done::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(TaskCancelled.class).hasMessage("stuck for an hour");
        assertThat(output).contains("curio cancel by anonymous: kernel 'web' task " + i
                + " 'stuck', reason 'stuck for an hour': cancelled tasks [" + i + "]");

        TestApp.settle(kernel);
        TestApp.Answer again = postJson(port, "/actuator/curio/" + i, "{}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").asString()).contains("unknown or finished");
    }
}
