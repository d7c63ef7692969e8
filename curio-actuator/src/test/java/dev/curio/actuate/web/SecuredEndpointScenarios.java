package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The scenarios of the README's Spring Security configuration (section Security), run by one
 * subclass per web stack with that stack's snippet in front of the endpoint: the cancel audit line
 * names the authenticated principal, the live page needs the operator role like the endpoint,
 * health stays open, and requests Security refuses (401, 403) write no audit line. Users: alice
 * (OPERATOR) and bob (USER).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class SecuredEndpointScenarios {

    static final String ALICE = "alice:alice-secret";
    static final String BOB = "bob:bob-secret";

    @LocalServerPort
    int serverPort;

    @Autowired
    CurioTasks tasks;

    @Autowired
    Kernel kernel;

    /** The port the actuator answers on: the application's, unless a subclass moves it. */
    int actuatorPort() {
        return serverPort;
    }

    private HttpRequest.Builder request(String path, @Nullable String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + actuatorPort() + path));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private TestApp.Answer get(String path, @Nullable String user) throws Exception {
        return TestApp.send(request(path, user).GET().build());
    }

    private HttpRequest cancel(long id, String body, @Nullable String user) {
        return request("/actuator/curio/" + id, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void aliceCancelsAndTheAuditLineNamesHer(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks, kernel, "stuck");
        long i = sleeper.id();
        AuditLines.Sent r = AuditLines.send(output, cancel(i, "{\"reason\":\"stuck for an hour\"}", ALICE), 200);
        assertThat(r.lines()).containsExactly(
                "curio-cancel source=endpoint kernel=" + kernel.name() + " task=" + i + " name=stuck group=false by=alice status=200"
                        + " outcome=cancelled tasks=[" + i + "] reason=\"stuck for an hour\"");
        assertThat(r.answer().json().get("cancelled").get(0).asLong()).isEqualTo(i);
        assertThatThrownBy(sleeper.done()::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(TaskCancelled.class).hasMessage("stuck for an hour");
    }

    @Test
    void bobIsForbiddenAndAnonymousUnauthorizedWithoutAuditLines(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks, kernel, "kept");
        long i = sleeper.id();
        AuditLines.Sent r = AuditLines.send(output, cancel(i, "{\"reason\":\"bob tries\"}", BOB), 403);
        assertThat(r.lines()).isEmpty();
        r = AuditLines.send(output, cancel(i, "{\"reason\":\"nobody tries\"}", null), 401);
        assertThat(r.lines()).isEmpty();
        r = AuditLines.send(output, cancel(i, "{}", "alice:wrong"), 401);
        assertThat(r.lines()).isEmpty();
        TestApp.settle(kernel);
        assertThat(sleeper.done()).as("none of them cancelled it").isNotDone();
        assertThat(get("/actuator/curio/" + i, ALICE).status()).isEqualTo(200);
        assertThat(get("/actuator/curio/" + i, BOB).status()).isEqualTo(403);
        assertThat(get("/actuator/curio", null).status()).isEqualTo(401);
        assertThat(AuditLines.of(output, "task=" + i + " ")).isEmpty();
    }

    @Test
    void aMalformedCancelByAliceIs400AuditedAsHers(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks, kernel, "target");
        long i = sleeper.id();
        AuditLines.Sent r = AuditLines.send(output, cancel(i, "{\"group\":\"true\"}", ALICE), 400);
        assertThat(r.lines()).containsExactly(
                "curio-cancel source=endpoint kernel=" + kernel.name() + " task=" + i + " group=false by=alice status=400"
                        + " outcome=bad-request detail=\"group must be a JSON boolean (true or false), was \\\"true\\\"\""
                        + " reason=\"cancelled through the curio actuator endpoint\"");
        assertThat(r.answer().json().get("error").asString()).isEqualTo("group must be a JSON boolean (true or false), was \"true\"");
        TestApp.settle(kernel);
        assertThat(sleeper.done()).isNotDone();
    }

    /**
     * Why the endpoint can go without CSRF protection: a cross-site form can only send form or text
     * bodies, and the cancel takes JSON only (anything else needs a CORS preflight the actuator does
     * not answer). Sent with alice's credentials, such a request is refused 415 and cancels nothing.
     */
    @Test
    void aFormShapedCancelWithAlicesCredentialsIs415AndCancelsNothing(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks, kernel, "guarded");
        long i = sleeper.id();
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x",
                "text/plain; x=json" /* a simple type that merely mentions json needs no preflight either */}) {
            HttpRequest form = request("/actuator/curio/" + i, ALICE).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("reason=gone")).build();
            AuditLines.Sent r = AuditLines.send(output, form, 415);
            assertThat(r.lines()).as(type).containsExactly("curio-cancel source=endpoint kernel=" + kernel.name()
                    + " task=" + i + " group=false by=alice status=415 outcome=refused detail=\"Content-Type '" + type
                    + "' is not supported: a cancel takes application/json\" reason=\"cancelled through the curio actuator endpoint\"");
            assertThat(r.answer().json().get("error").asString()).isEqualTo("Content-Type '" + type
                    + "' is not supported: a cancel takes application/json");
        }
        TestApp.settle(kernel);
        assertThat(sleeper.done()).isNotDone();
    }

    @Test
    void theLivePageNeedsTheOperatorRole() throws Exception {
        assertThat(get("/actuator/curio/tasks.html", null).status()).isEqualTo(401);
        assertThat(get("/actuator/curio/tasks.html", BOB).status()).isEqualTo(403);
        TestApp.Answer page = get("/actuator/curio/tasks.html", ALICE);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<html");
    }

    @Test
    void healthStaysOpenAndOtherEndpointsNeedAdmin() throws Exception {
        TestApp.Answer health = get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/info", null).status()).isEqualTo(401);
        assertThat(get("/actuator/info", ALICE).status()).as("the curio role is not the admin role").isEqualTo(403);
    }
}
