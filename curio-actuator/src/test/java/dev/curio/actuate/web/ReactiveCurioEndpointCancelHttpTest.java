package dev.curio.actuate.web;

import static dev.curio.actuate.web.TestApp.get;
import static dev.curio.actuate.web.TestApp.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * WebFlux (Reactor Netty) once the operator allows writes: the filter in front of the cancel
 * answers the same 400s as on the servlet stack, and every cancel request, whichever stage answers
 * it (the filter, Boot's mapping, the endpoint on its elastic thread), writes exactly one audit line.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive", "management.endpoints.web.exposure.include=curio",
        "management.endpoint.curio.access=unrestricted", "curio.kernel-name=flux"})
@ExtendWith(OutputCaptureExtension.class)
class ReactiveCurioEndpointCancelHttpTest implements CancelPathSpellings {

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

    private HttpRequest post(long id, String body) {
        return post(String.valueOf(id), body);
    }

    private HttpRequest post(String id, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/curio/" + id))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void aRealCancelIs200WithOneLineNamingTheTask(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks, kernel, "stuck");
        long i = sleeper.id();
        assertThat(get(port, "/actuator/curio").json().get("cancelAllowed").asBoolean()).isTrue();

        AuditLines.Sent r = AuditLines.send(output, post(i, "{\"reason\":\"stuck for an hour\",\"group\":false}"), 200);
        String line = r.line();
        assertThat(line).isEqualTo("curio-cancel source=endpoint kernel=flux task=" + i + " name=stuck group=false"
                + " by=anonymous status=200 outcome=cancelled tasks=[" + i + "] reason=\"stuck for an hour\"");
        JsonNode j = r.answer().json();
        assertThat(j.get("name").asString()).isEqualTo("stuck");
        assertThat(j.get("cancelled").get(0).asLong()).isEqualTo(i);
        assertThatThrownBy(sleeper.done()::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(TaskCancelled.class).hasMessage("stuck for an hour");

        TestApp.settle(kernel);
        r = AuditLines.send(output, post(i, "{}"), 404);
        assertThat(r.line()).startsWith("curio-cancel source=endpoint kernel=flux task="
                + i + " group=false by=anonymous status=404 outcome=not-found");
    }

    @Test
    void theKernelsMainTaskIs409AuditedOnce(CapturedOutput output) throws Exception {
        long main = kernel.tasksSnapshot().stream().filter(t -> t.system()).findFirst().orElseThrow().id();
        AuditLines.Sent r = AuditLines.send(output, post(main, "{\"group\":true}"), 409);
        String line = r.line();
        assertThat(line).startsWith("curio-cancel source=endpoint kernel=flux task=" + main
                + " name=kernel-main group=true by=anonymous status=409 outcome=refused detail=\"task " + main
                + " (kernel-main) is a system task");
        assertThat(r.answer().json().get("error").asString()).contains("is a system task of kernel 'flux'");
        TestApp.settle(kernel);
        assertThat(get(port, "/actuator/curio").json().get("running").asBoolean()).isTrue();
    }

    /** Boot binds the body as a map of strings; the filter sees the JSON as sent and answers 400 naming what was wrong. */
    @Test
    void badCancelRequestsAre400NamingTheFieldAndAuditedOnce(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks, kernel, "target");
        long i = sleeper.id();
        String[][] cases = {
                {"{\"group\":\"true\"}", "group must be a JSON boolean (true or false), was \"true\""},
                {"{\"group\":1}", "group must be a JSON boolean (true or false), was 1"},
                {"{\"reason\":\"x\",\"force\":true}", "unknown field 'force': a cancel takes reason (a string) and group (a boolean)"},
                {"[1,2]", "the body must be a JSON object such as {\"reason\": \"...\", \"group\": true}"},
                {"{\"reason\":", "malformed JSON: "},
                {"{\"reason\":\"" + "x".repeat(9000) + "\"}", "the body is over 8192 bytes"}};
        for (String[] c : cases) {
            AuditLines.Sent r = AuditLines.send(output, post(i, c[0]), 400);
            String line = r.line();
            assertThat(r.answer().json().get("error").asString()).as(c[0]).startsWith(c[1]);
            assertThat(r.answer().json().get("id").asString()).isEqualTo(String.valueOf(i));
            assertThat(line).as(c[0]).startsWith("curio-cancel source=endpoint kernel=flux task=" + i
                    + " group=false by=anonymous status=400 outcome=bad-request detail=");
        }
        assertThat(AuditLines.of(output, "detail=\"group must be a JSON boolean (true or false), was \\\"true\\\"\""))
                .hasSize(1);
        AuditLines.Sent r = AuditLines.send(output, post("abc", "{}"), 400);
        assertThat(r.line()).isEqualTo("curio-cancel source=endpoint kernel=flux"
                + " task=abc group=false by=anonymous status=400 outcome=bad-request detail=\"id must be a task id"
                + " (a whole number), was 'abc'\" reason=\"cancelled through the curio actuator endpoint\"");
        assertThat(r.answer().json().get("error").asString()).isEqualTo("id must be a task id (a whole number), was 'abc'");

        // not JSON: refused (415) by the filter, as Boot's mapping would, naming the type
        HttpRequest text = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/curio/" + i))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("stop")).build();
        r = AuditLines.send(output, text, 415);
        assertThat(r.line()).isEqualTo("curio-cancel source=endpoint kernel=flux task=" + i
                + " group=false by=anonymous status=415 outcome=refused detail=\"Content-Type 'text/plain' is not"
                + " supported: a cancel takes application/json\" reason=\"cancelled through the curio actuator endpoint\"");

        // a client's own mark argument changes nothing: the filter replaces it (a cancel that
        // passes the filter's checks and is refused by Boot's mapping, 406, still gets its line)
        HttpRequest forged = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/curio/" + i
                + "?curio.audit.mark=x")).header("Content-Type", "application/json").header("Accept", "image/png")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        r = AuditLines.send(output, forged, 406);
        assertThat(r.line()).contains(" status=406 outcome=refused ");

        TestApp.settle(kernel);
        assertThat(get(port, "/actuator/curio/" + i).status()).as("none of them cancelled it").isEqualTo(200);
        assertThat(sleeper.done()).isNotDone();

        // a JSON true is accepted
        r = AuditLines.send(output, post(i, "{\"group\":true,\"reason\":\"now\"}"), 200);
        String ok = r.line();
        assertThat(ok).isEqualTo("curio-cancel source=endpoint kernel=flux task=" + i + " name=target group=true"
                + " by=anonymous status=200 outcome=cancelled tasks=[" + i + "] reason=now");
        assertThat(r.answer().json().get("group").asBoolean()).isTrue();
    }
}
