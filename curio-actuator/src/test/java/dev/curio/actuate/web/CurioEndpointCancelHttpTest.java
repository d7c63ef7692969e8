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
class CurioEndpointCancelHttpTest implements CancelPathSpellings {

    @LocalServerPort
    int port;

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
        return true;
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
        assertThat(output).contains("curio-cancel source=endpoint kernel=web task=" + i
                + " name=stuck group=false by=anonymous status=200 outcome=cancelled tasks=[" + i
                + "] reason=\"stuck for an hour\"");

        TestApp.settle(kernel);
        TestApp.Answer again = postJson(port, "/actuator/curio/" + i, "{}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").asString()).contains("unknown or finished");
        assertThat(output).contains("curio-cancel source=endpoint kernel=web task=" + i
                + " group=false by=anonymous status=404 outcome=not-found");
    }

    /** The attack: POST /actuator/curio/1 used to stop the kernel (running:false, servers deaf). */
    @Test
    void cancellingTheKernelsMainTaskIs409AuditedAndTheKernelKeepsServing(CapturedOutput output) throws Exception {
        long main = kernel.tasksSnapshot().stream().filter(t -> t.system()).findFirst().orElseThrow().id();
        for (String body : new String[] {"{\"reason\":\"bye\"}", "{\"group\":true}"}) {
            TestApp.Answer r = postJson(port, "/actuator/curio/" + main, body);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("error").asString()).isEqualTo("task " + main + " (kernel-main) is a system task"
                    + " of kernel 'web', its own machinery: cancelling it would stop the kernel, so it is refused");
        }
        assertThat(output).contains("curio-cancel source=endpoint kernel=web task=" + main
                + " name=kernel-main group=false by=anonymous status=409 outcome=refused")
                .contains("task=" + main + " name=kernel-main group=true by=anonymous status=409 outcome=refused");
        TestApp.settle(kernel);
        JsonNode table = get(port, "/actuator/curio").json();
        assertThat(table.get("running").asBoolean()).isTrue();
        assertThat(table.get("tasks").toString()).contains("\"name\":\"kernel-main\"");
        assertThat(tasks.submit("after", () -> "served").get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("served");
    }

    /**
     * Boot binds the cancel body as a map of strings, where "true" and true look alike; the filter in
     * front of it sees the JSON as sent. Each refusal is a 400 naming what was wrong, and audited.
     */
    @Test
    void badCancelRequestsAre400NamingTheFieldAndAudited(CapturedOutput output) throws Exception {
        CompletableFuture<Long> id = new CompletableFuture<>();
        tasks.run("target", () -> {
            id.complete(Curio.currentTask().id());
            Curio.sleep(3600);
        });
        long i = id.join();
        TestApp.settle(kernel);
        String[][] cases = {
                {"{\"group\":\"true\"}", "group must be a JSON boolean (true or false), was \"true\""},
                {"{\"group\":1}", "group must be a JSON boolean (true or false), was 1"},
                {"{\"reason\":[\"x\"]}", "reason must be a JSON string, was [\"x\"]"},
                {"{\"reason\":\"x\",\"force\":true}", "unknown field 'force': a cancel takes reason (a string) and group (a boolean)"},
                {"[1,2]", "the body must be a JSON object such as {\"reason\": \"...\", \"group\": true}"},
                {"{\"reason\":", "malformed JSON: "},
                {"{\"reason\":\"" + "x".repeat(9000) + "\"}", "the body is over 8192 bytes"}};
        for (String[] c : cases) {
            TestApp.Answer r = postJson(port, "/actuator/curio/" + i, c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.json().get("error").asString()).as(c[0]).startsWith(c[1]);
            assertThat(r.json().get("id").asString()).isEqualTo(String.valueOf(i));
        }
        TestApp.Answer badId = postJson(port, "/actuator/curio/abc", "{}");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("error").asString()).isEqualTo("id must be a task id (a whole number), was 'abc'");

        String log = output.getOut();
        assertThat(log.lines().filter(l -> l.contains("curio-cancel ") && l.contains("status=400 outcome=bad-request")))
                .hasSize(cases.length + 1);
        assertThat(log).contains("curio-cancel source=endpoint kernel=web task=" + i + " group=false by=anonymous"
                + " status=400 outcome=bad-request detail=\"group must be a JSON boolean (true or false), was \\\"true\\\"\"")
                .contains("curio-cancel source=endpoint kernel=web task=abc group=false by=anonymous status=400"
                        + " outcome=bad-request detail=\"id must be a task id (a whole number), was 'abc'\"");
        TestApp.settle(kernel);
        assertThat(get(port, "/actuator/curio/" + i).status()).as("none of them cancelled it").isEqualTo(200);

        // a JSON true is accepted, and a reason carrying Unicode line breaks stays on one line
        TestApp.Answer ok = postJson(port, "/actuator/curio/" + i, "{\"group\":true,\"reason\":\"a\\u2028b\\u0085c\\u2029d\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("reason").asString()).isEqualTo("a b c d");
        assertThat(output.getOut()).contains("name=target group=true by=anonymous status=200 outcome=cancelled tasks=["
                + i + "] reason=\"a b c d\"\n");
    }
}
