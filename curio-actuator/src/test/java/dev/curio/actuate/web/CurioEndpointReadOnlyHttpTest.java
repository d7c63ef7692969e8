package dev.curio.actuate.web;

import static dev.curio.actuate.web.TestApp.get;
import static dev.curio.actuate.web.TestApp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The endpoint over real HTTP with the default access: reads work, a cancel is refused (405) and
 * leaves the task alone; unknown ids give 404 answers with a JSON body, bad ones 400.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=curio,health,prometheus",
        "management.endpoint.health.show-details=always", "curio.kernel-name=web"})
@AutoConfigureMetrics
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class CurioEndpointReadOnlyHttpTest implements CancelPathSpellings {

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
    void readsTheTableAndOneTaskButRefusesCancel(CapturedOutput output) throws Exception {
        long id = TestApp.sleeper(tasks, kernel, "napper").id();
        TestApp.Answer table = get(port, "/actuator/curio?name=napper");
        assertThat(table.status()).isEqualTo(200);
        assertThat(table.contentType()).startsWith("application/vnd.spring-boot.actuator.v3+json");
        JsonNode t = table.json();
        assertThat(t.get("kernel").asString()).isEqualTo("web");
        assertThat(t.get("consistent").asBoolean()).isTrue();
        assertThat(t.get("cancelAllowed").asBoolean()).isFalse();
        assertThat(t.get("matched").asLong()).isEqualTo(1);
        assertThat(t.get("tasks").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(t.get("tasks").get(0).get("state").asString()).isEqualTo("TIME_SLEEP");

        JsonNode one = get(port, "/actuator/curio/" + id).json();
        assertThat(one.get("task").get("name").asString()).isEqualTo("napper");
        assertThat(one.get("stack").get(0).asString()).isNotEmpty();
        assertThat(one.get("stack").toString()).contains("dev.curio.Curio.sleep");

        TestApp.Answer cancel = postJson(port, "/actuator/curio/" + id, "{\"reason\":\"no\"}");
        assertThat(cancel.status()).isEqualTo(405);
        assertThat(cancel.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(cancel.json().get("error").asString()).isEqualTo("cancel is not allowed: management.endpoint.curio.access is read-only (the default) or capped by management.endpoints.access.max-permitted");
        assertThat(output.getOut()).contains("curio-cancel source=endpoint kernel=web task=" + id
                + " group=false by=anonymous status=405 outcome=refused detail=\"cancel is not allowed:"
                + " management.endpoint.curio.access is read-only (the default) or capped by"
                + " management.endpoints.access.max-permitted\" reason=no"); // the caller's reason, not the default
        TestApp.settle(kernel);
        assertThat(get(port, "/actuator/curio/" + id).status()).isEqualTo(200); // still there
    }

    @Test
    void unknownIdsAre404WithABodyAndBadInputs400() throws Exception {
        TestApp.Answer missing = get(port, "/actuator/curio/999999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asString()).isEqualTo("no task 999999999 in kernel 'web' (unknown or finished)");
        assertThat(get(port, "/actuator/curio/abc").status()).isEqualTo(400);
        TestApp.Answer bad = get(port, "/actuator/curio?limit=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("Exception").doesNotContain("at dev.curio");
        TestApp.Answer over = get(port, "/actuator/curio?limit=5000");
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().get("error").asString())
                .isEqualTo("limit must be in 1..1000 (the maximum is 1000, curio.actuator.max-page-size), was 5000");
        assertThat(over.json().get("maxLimit").asInt()).isEqualTo(1000);
        TestApp.Answer state = get(port, "/actuator/curio?state=SLEEPING");
        assertThat(state.status()).isEqualTo(400);
        assertThat(state.json().get("error").asString()).startsWith("unknown state SLEEPING; valid states: ")
                .contains("TIME_SLEEP");
        assertThat(state.json().get("validStates").toString()).contains("\"EVENT_WAIT\"", "\"KERNEL_SERVE\"");
    }

    @Test
    void healthShowsTheKernelUp() throws Exception {
        TestApp.Answer h = get(port, "/actuator/health/curio");
        assertThat(h.status()).isEqualTo(200);
        JsonNode j = h.json();
        assertThat(j.get("status").asString()).isEqualTo("UP");
        assertThat(j.get("details").get("kernel").asString()).isEqualTo("web");
        assertThat(j.get("details").get("longBlocks").isNumber()).isTrue();
    }
}
