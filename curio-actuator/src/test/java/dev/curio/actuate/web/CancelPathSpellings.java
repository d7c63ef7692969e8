package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curio.TaskCancelled;
import dev.curio.kernel.Kernel;
import dev.curio.spring.boot.CurioTasks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * The spellings of a cancel's path that the server routes to the same operation as
 * {@code POST <base>/actuator/curio/<id>}: path parameters ({@code ;a=b}) on any segment, an
 * empty one, a percent-encoded letter. The cancel filter used to recognise a cancel by the raw
 * path's prefix, so each of them walked around it: with cancel allowed, {@code "group":"true"} and
 * an unknown field cancelled the task and its group; read-only, Boot answered 405 with no audit
 * line; a non-JSON body got a 415 with no line; on a management port of its own, a multipart body
 * a 500 with an ERROR trace. Each web test class of the endpoint runs these scenarios on its stack,
 * port and access: every spelling gets the answer of the plain path and exactly one audit line.
 */
interface CancelPathSpellings {

    /** The port the actuator answers on. */
    int actuatorPort();

    /** The management base path before {@code /actuator}, {@code ""} when none. */
    default String basePath() {
        return "";
    }

    /** Whether this application allows cancel ({@code management.endpoint.curio.access=unrestricted}). */
    boolean cancelAllowed();

    CurioTasks tasks();

    Kernel kernel();

    /** The spellings of {@code POST <base>/actuator/curio/<id>}, the plain one first. */
    default List<String> spellings(String id) {
        String b = basePath();
        return List.of(b + "/actuator/curio/" + id, b + "/actuator/curio;a=b/" + id, b + "/actuator;a=b/curio/" + id,
                b + "/actuator/curio;/" + id, b + "/actuator/%63urio/" + id, b + "/actuator/curio/" + id + ";a=b");
    }

    private HttpRequest post(String path, String type, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + actuatorPort() + path))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private String linePrefix(String task) {
        return "curio-cancel source=endpoint kernel=" + kernel().name() + " task=" + task + " group=false by=anonymous ";
    }

    String NOT_ALLOWED = "detail=\"cancel is not allowed: management.endpoint.curio.access is"
            + " read-only (the default) or capped by management.endpoints.access.max-permitted\"";

    private static void noErrorLogged(CapturedOutput output) {
        assertThat(output.getAll().lines().filter(l -> l.contains(" ERROR ") || l.contains("Exception")))
                .as("nothing logged as an error").isEmpty();
    }

    /** {@code "group":"true"} and an unknown field: refused by every spelling (400, or 405 read-only), each audited once. */
    @Test
    default void everySpellingOfAStrictBodyViolationIsRefusedAndAuditedOnce(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks(), kernel(), "strict-target");
        long i = sleeper.id();
        for (String path : spellings(String.valueOf(i))) {
            AuditLines.Sent r = AuditLines.send(output, post(path, "application/json",
                    "{\"reason\":\"x\",\"group\":\"true\",\"extra\":1}"), cancelAllowed() ? 400 : 405);
            assertThat(r.line()).as(path).isEqualTo(linePrefix(String.valueOf(i)) + (cancelAllowed()
                    ? "status=400 outcome=bad-request detail=\"group must be a JSON boolean (true or false), was \\\"true\\\"\""
                    : "status=405 outcome=refused " + NOT_ALLOWED) + " reason=x");
        }
        TestApp.settle(kernel());
        assertThat(sleeper.done()).as("no spelling cancelled it").isNotDone();
        noErrorLogged(output);
    }

    /** A multipart body (a form): refused 415 (405 read-only) by every spelling before any body parser, audited once, never a 500. */
    @Test
    default void everySpellingOfAMultipartCancelIsRefusedUnparsedAndAuditedOnce(CapturedOutput output) throws Exception {
        TestApp.Sleeper sleeper = TestApp.sleeper(tasks(), kernel(), "form-target");
        long i = sleeper.id();
        String type = "multipart/form-data; boundary=x";
        for (String path : spellings(String.valueOf(i))) {
            AuditLines.Sent r = AuditLines.send(output, post(path, type,
                    "--x\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\ngone\r\n--x--\r\n"),
                    cancelAllowed() ? 415 : 405);
            assertThat(r.line()).as(path).isEqualTo(linePrefix(String.valueOf(i)) + (cancelAllowed()
                    ? "status=415 outcome=refused detail=\"Content-Type '" + type + "' is not supported: a cancel takes"
                            + " application/json\""
                    : "status=405 outcome=refused " + NOT_ALLOWED)
                    + " reason=\"cancelled through the curio actuator endpoint\"");
        }
        TestApp.settle(kernel());
        assertThat(sleeper.done()).isNotDone();
        noErrorLogged(output);
    }

    /** A good cancel by every spelling: it reaches the operation (200, the task cancelled) or is refused 405 read-only, one line each. */
    @Test
    default void everySpellingOfAGoodCancelIsAnsweredAsThePlainPathWithOneLine(CapturedOutput output) throws Exception {
        for (String spelling : spellings("ID")) {
            TestApp.Sleeper sleeper = TestApp.sleeper(tasks(), kernel(), "spelled");
            long i = sleeper.id();
            String path = spelling.replace("ID", String.valueOf(i));
            AuditLines.Sent r = AuditLines.send(output, post(path, "application/json", "{\"reason\":\"spelled\"}"),
                    cancelAllowed() ? 200 : 405);
            if (cancelAllowed()) {
                assertThat(r.line()).as(path).isEqualTo("curio-cancel source=endpoint kernel=" + kernel().name() + " task="
                        + i + " name=spelled group=false by=anonymous status=200 outcome=cancelled tasks=[" + i
                        + "] reason=spelled");
                assertThatThrownBy(sleeper.done()::join).isInstanceOf(CompletionException.class).cause()
                        .isInstanceOf(TaskCancelled.class).hasMessage("spelled");
            } else {
                assertThat(r.line()).as(path).isEqualTo(linePrefix(String.valueOf(i)) + "status=405 outcome=refused "
                        + NOT_ALLOWED + " reason=spelled");
                assertThat(r.answer().headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
                assertThat(sleeper.done()).isNotDone();
            }
        }
        noErrorLogged(output);
    }

    /** An id of 3,000 digits is refused (400, 405 read-only) with a line that names it cut short, and the caller's reason. */
    @Test
    default void aHugeIdIsCutShortInTheLine(CapturedOutput output) throws Exception {
        String id = "9".repeat(3000);
        for (String path : spellings(id)) {
            AuditLines.Sent r = AuditLines.send(output, post(path, "application/json", "{\"reason\":\"long\"}"),
                    cancelAllowed() ? 400 : 405);
            assertThat(r.line()).as(path).startsWith("curio-cancel source=endpoint kernel=" + kernel().name() + " task="
                    + "9".repeat(32) + "... group=false").endsWith(" reason=long").hasSizeLessThan(500);
        }
        noErrorLogged(output);
    }
}
