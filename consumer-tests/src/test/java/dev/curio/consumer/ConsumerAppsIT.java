package dev.curio.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's "done when": separate consumer applications, built as a user builds them against the
 * installed artifacts (see {@link ConsumerBuild}) and started with {@code java -jar}, each checked
 * over loopback:
 * <ul>
 *   <li>a Spring MVC and a WebFlux application (web + actuator + Prometheus, adding only the BOM,
 *       the starter and curio-actuator): the kernel-owned carrier under {@code java -jar} (the
 *       manifest's {@code Add-Opens}), the caller's MDC inside a task (context propagation without
 *       declaring context-propagation), a task timeout answered 503 with a problem body, the
 *       carrier in the Prometheus scrape, the live task page beside the endpoint, and a refused
 *       cancel audited by the filter in front of it;</li>
 *   <li>the MVC application's own tests, with curio-test (its version from the BOM): a
 *       {@code @CurioTest} class and a {@code @SpringBootTest} on {@code curio.clock=autojump};</li>
 *   <li>a non-web application serving TCP from a task: it keeps serving after its main returned,
 *       stops on SIGTERM; started without the manifest (plain class path), it falls back to the
 *       default carrier and its start-up line names both fixes.</li>
 * </ul>
 */
class ConsumerAppsIT {

    private static Path work;

    @BeforeAll
    static void build() throws Exception {
        work = ConsumerBuild.buildAll();
    }

    @Test
    void consumerJarsCarryTheAddOpensManifestEntry() throws Exception {
        for (String consumer : ConsumerBuild.CONSUMERS) {
            try (JarFile jar = new JarFile(ConsumerBuild.jar(work, consumer).toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Add-Opens")).as(consumer)
                        .isEqualTo("java.base/java.lang");
            }
        }
    }

    /**
     * The MVC consumer's own tests ran in its {@code mvn -B package}: a {@code @CurioTest} class on
     * the manual clock and a {@code @SpringBootTest} with {@code curio.clock=autojump}, using
     * curio-test without a version of its own (the BOM's).
     */
    @Test
    void consumerTestsRanOnTheManualClockWithCurioTest() throws Exception {
        Path reports = work.resolve("mvc-app").resolve("target").resolve("surefire-reports");
        assertThat(suite(reports.resolve("TEST-demo.ReminderTest.xml")))
                .contains("tests=\"2\"", "errors=\"0\"", "skipped=\"0\"", "failures=\"0\"");
        assertThat(suite(reports.resolve("TEST-demo.CheckoutTimeoutTests.xml")))
                .contains("tests=\"1\"", "errors=\"0\"", "skipped=\"0\"", "failures=\"0\"");
    }

    /** The {@code <testsuite ...>} element of a surefire report. */
    private static String suite(Path report) throws Exception {
        Matcher m = Pattern.compile("<testsuite [^>]*>").matcher(java.nio.file.Files.readString(report));
        assertThat(m.find()).as(report.toString()).isTrue();
        return m.group();
    }

    @Test
    void sampleAppJarCarriesTheAddOpensManifestEntry() throws Exception {
        try (JarFile jar = new JarFile(ConsumerBuild.property("consumer.sampleAppJar"))) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Add-Opens")).isEqualTo("java.base/java.lang");
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
        }
    }

    @Test
    void springMvcApplication() throws Exception {
        checkWebApplication("mvc-app");
    }

    @Test
    void webfluxApplication() throws Exception {
        checkWebApplication("webflux-app");
    }

    private static void checkWebApplication(String consumer) throws Exception {
        try (ConsumerApp app = ConsumerApp.start(work.resolve(consumer), List.of("-jar",
                // only where to listen is added: the exposure comes from the consumer's application.properties
                ConsumerBuild.jar(work, consumer).toString(), "--server.port=0", "--server.address=127.0.0.1",
                // each request's connection and the server's handling of it, in the output a failure prints:
                // once the WebFlux application handled the cancel POST only when the client gave up, 60 s later
                "--logging.level.reactor.netty.http.server=DEBUG"))) {
            int port = port(app.awaitLine(l -> l.startsWith("CONSUMER READY port=")));
            app.check(() -> checkWebApplication(consumer, app, port));
            app.stop();
        }
    }

    private static void checkWebApplication(String consumer, ConsumerApp app, int port) throws Exception {
        assertThat(app.output()).contains("Curio kernel 'main' runs on the owned carrier (curio.carrier=auto)");
        // A client, and so a connection, per request: Reactor Netty 1.3.7 (Boot 4.1.1's) stops reading
        // a keep-alive connection when a request arrives while the previous exchange is still
        // terminating (its response written from another thread, as the actuator's are), and then
        // handles that request only when the client gives up and closes the connection: this POST
        // once waited 60 s so (seen with the DEBUG lines passed above; reactor-netty issue 4361, whose
        // fix came after 1.3.7). Connections that are not reused cannot meet it.
        assertThat(get(port, "/carrier").body()).isEqualTo("owned");
        assertThat(get(port, "/mdc?id=r-42").body()).isEqualTo("task saw request.id=r-42");

        HttpResponse<String> timeout = get(port, "/quote");
        assertThat(timeout.statusCode()).isEqualTo(503);
        assertThat(timeout.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(timeout.body()).contains("\"status\":503", "\"exception\":\"TaskTimeout\"");

        assertThat(get(port, "/actuator/prometheus").body())
                .contains("curio_kernel_info{carrier=\"owned\",kernel=\"main\"} 1");
        HttpResponse<String> tasks = get(port, "/actuator/curio");
        assertThat(tasks.statusCode()).isEqualTo(200);
        assertThat(tasks.body()).contains("\"kernel\":\"main\"", "\"carrier\":\"owned\"");
        // the live page: a servlet on Spring MVC, a handler mapping on WebFlux, the same page
        HttpResponse<String> page = get(port, "/actuator/curio/tasks.html");
        assertThat(page.statusCode()).as(consumer).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                p -> assertThat(p).startsWith("default-src 'none'"));
        assertThat(page.body()).contains("<title>Curio tasks</title>");

        // a cancel passes the filter in front of the endpoint (servlet or WebFlux, each loading
        // without the other stack's API) and is refused, read-only by default, with its audit line
        HttpResponse<String> cancel = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/curio/424242")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofMinutes(1)).build());
        assertThat(cancel.statusCode()).as(consumer).isEqualTo(405);
        // written before the answer, read from the application's output on a thread of its own
        app.awaitLine(l -> l.contains("curio-cancel source=endpoint kernel=main task=424242 group=false"
                + " by=anonymous status=405 outcome=refused"));
        assertThat(app.output()).doesNotContain(" ERROR ");
    }

    @Test
    void nonWebApplicationKeepsServingTcpAfterMainReturns() throws Exception {
        try (ConsumerApp app = ConsumerApp.start(work.resolve("tcp-app"),
                List.of("-jar", ConsumerBuild.jar(work, "tcp-app").toString()))) {
            String ready = app.awaitLine(l -> l.startsWith("CONSUMER READY port="));
            app.check(() -> {
                assertThat(ready).endsWith("carrier=owned");
                app.awaitLine(l -> l.equals("CONSUMER MAIN RETURNED"));
                assertThat(echo(port(ready), "ping")).isEqualTo("ping"); // served after main returned
                assertThat(echo(port(ready), "pong")).isEqualTo("pong");
                assertThat(app.isAlive()).isTrue();
            });
            assertThat(app.stop()).as(app.output()).isEqualTo(143); // SIGTERM: Boot's shutdown hook closed it
            assertThat(app.output()).contains("Curio kernel 'main' runs on the owned carrier (curio.carrier=auto)");
        }
    }

    @Test
    void withoutTheManifestTheStartUpLineNamesBothFixes() throws Exception {
        // The class path instead of -jar: the JVM reads Add-Opens only from the jar it launches.
        try (ConsumerApp app = ConsumerApp.start(work.resolve("tcp-app"), List.of("-cp",
                ConsumerBuild.jar(work, "tcp-app").toString(), "org.springframework.boot.loader.launch.JarLauncher"))) {
            String ready = app.awaitLine(l -> l.startsWith("CONSUMER READY port="));
            app.check(() -> {
                assertThat(ready).endsWith("carrier=default");
                assertThat(echo(port(ready), "ping")).isEqualTo("ping");
                assertThat(app.output()).contains(" WARN ",
                        "Curio kernel 'main' runs on the default carrier (curio.carrier=auto); for the owned carrier",
                        "--add-opens java.base/java.lang=ALL-UNNAMED", "'Add-Opens: java.base/java.lang'");
            });
            app.stop();
        }
    }

    private static int port(String line) {
        Matcher m = Pattern.compile("port=(\\d+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(1)).build());
    }

    /** Sends {@code request} on a connection of its own (see checkWebApplication). */
    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String echo(int port, String line) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 60_000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
