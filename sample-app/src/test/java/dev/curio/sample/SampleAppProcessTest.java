package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end, as a user runs it: the sample application as a real process (its main class on its
 * class path, with cancel allowed on the command line), two chat clients over TCP, the task table
 * read through the actuator endpoint, and the chat server cancelled through it: both clients get
 * the going-away line and the table no longer lists the chat tasks. And stopped as a service
 * manager stops it, with SIGTERM: every chat client still gets the going-away line.
 */
class SampleAppProcessTest {

    private static final Pattern CHAT = Pattern.compile("chat server listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("Tomcat started on port (\\d+)");

    private Process app;
    private final LinkedBlockingQueue<String> output = new LinkedBlockingQueue<>();
    /** Everything the application wrote, for failure messages. */
    private final Queue<String> log = new ConcurrentLinkedQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    /** Starts the application with {@code args}; returns its chat and HTTP ports once both listen. */
    private int[] start(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-opens",
                "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SampleApplication.class.getName(), "--server.port=0", "--sample.chat.port=0", "--sample.echo.port=0"));
        cmd.addAll(List.of(args));
        app = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    log.add(line);
                }
            } catch (Exception e) {
                output.add("reader failed: " + e);
            }
        });
        int chatPort = 0;
        int httpPort = 0;
        while (chatPort == 0 || httpPort == 0) {
            String line = output.poll(3, TimeUnit.MINUTES); // hang guard while the app starts
            assertThat(line).as("the application's output before it was up:%n%s", String.join("\n", log)).isNotNull();
            Matcher m = CHAT.matcher(line);
            if (m.find()) {
                chatPort = Integer.parseInt(m.group(1));
            }
            m = HTTP.matcher(line);
            if (m.find()) {
                httpPort = Integer.parseInt(m.group(1));
            }
        }
        return new int[] {chatPort, httpPort};
    }

    /**
     * SIGTERM with chat clients connected: Boot closes the context, the kernel's stop cancels the
     * chat server first, and every client gets the going-away line before its connection closes,
     * within curio.shutdown-timeout (none did: the kernel's shutdown cancelled each client's
     * reader and writer, the newest tasks, before the server).
     */
    @Test
    void sigtermSaysGoodbyeToEveryChatClient() throws Exception {
        int chatPort = start()[0];
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                LineClient c = new LineClient(chatPort);
                clients.add(c);
                SampleApplicationTest.join(c, "client" + i);
            }
            app.destroy(); // SIGTERM
            List<String> lastLines = new ArrayList<>();
            for (LineClient c : clients) {
                String last = null;
                for (String line = c.readLine(); line != null; line = c.readLine()) {
                    last = line; // the joins of later clients, then the goodbye
                }
                lastLines.add(last);
            }
            assertThat(lastLines).as("each client's last line; the application's output:%n%s", String.join("\n", log))
                    .hasSize(20).containsOnly(ChatServer.GOING_AWAY);
            assertThat(app.waitFor(3, TimeUnit.MINUTES)).as("exited").isTrue(); // hang guard
            assertThat(String.join("\n", log)).doesNotContain("still running").doesNotContain(" ERROR ");
        } finally {
            for (LineClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void chatThroughTheServerThenCancelItThroughTheEndpoint() throws Exception {
        int[] ports = start("--management.endpoint.curio.access=unrestricted");
        int chatPort = ports[0];
        int httpPort = ports[1];
        String base = "http://127.0.0.1:" + httpPort + "/actuator/curio";

        try (LineClient alice = new LineClient(chatPort); LineClient bob = new LineClient(chatPort)) {
            SampleApplicationTest.join(alice, "alice");
            SampleApplicationTest.join(bob, "bob");
            assertThat(alice.readLine()).isEqualTo("bob:joined");
            assertThat(alice.readLine()).isEqualTo("bob:hello");

            String table = get(base + "?name=chat");
            assertThat(table).contains("\"name\":\"chat-server\"", "\"name\":\"chat-in\"", "\"name\":\"chat-out\"");
            Matcher server = Pattern.compile("\\{\"id\":(\\d+),\"name\":\"chat-server\"").matcher(table);
            assertThat(server.find()).as("chat-server row in %s", table).isTrue();
            String id = server.group(1);

            HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"end-to-end test\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);

            assertThat(alice.readLine()).isEqualTo(ChatServer.GOING_AWAY);
            assertThat(bob.readLine()).isEqualTo(ChatServer.GOING_AWAY);
            assertThat(alice.readLine()).as("connection closed").isNull();
            assertThat(bob.readLine()).as("connection closed").isNull();

            // The chat server task ends once its clients' tasks have: wait for that event, then
            // the table holds no chat task.
            while (status(base + "/" + id) != 404) {
                Thread.onSpinWait();
            }
            assertThat(get(base + "?name=chat")).doesNotContain("\"name\":\"chat-");
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
        return r.body();
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
