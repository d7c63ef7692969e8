package dev.curio.sample.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged sample application (the repackaged jar of the package phase) run as a process on
 * free ports, as a user runs it with {@code java -jar}. Its log is kept for failure messages.
 */
public final class SampleAppProcess implements AutoCloseable {

    private static final Pattern HTTP = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern ECHO = Pattern.compile("echo server listening on 127\\.0\\.0\\.1:(\\d+)");
    /** A Prometheus text-format sample line: name{labels} value. */
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Process process;
    private final int port;
    private final ConcurrentLinkedQueue<String> log;
    private final CompletableFuture<Integer> echoPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SampleAppProcess(Process process, int port, ConcurrentLinkedQueue<String> log, CompletableFuture<Integer> echoPort) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.echoPort = echoPort;
    }

    /** The repackaged jar, named by the build (failsafe's {@code curio.sample.jar}). */
    public static Path jar() {
        String p = System.getProperty("curio.sample.jar");
        assertThat(p).as("system property curio.sample.jar (set by the sample-app pom's failsafe configuration)").isNotNull();
        Path jar = Path.of(p);
        assertThat(Files.isRegularFile(jar)).as("the packaged sample application %s (built in the package phase)", jar).isTrue();
        return jar;
    }

    /** Starts {@code java -jar} with the given extra arguments; returns once Tomcat listens. */
    public static SampleAppProcess start(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                "--server.port=0", "--sample.chat.port=0", "--sample.echo.port=0"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Integer> echo = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("sample-app-log").start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.add(line);
                    Matcher m = HTTP.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                    m = ECHO.matcher(line);
                    if (m.find()) {
                        echo.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (Exception e) {
                log.add("log reader failed: " + e);
            } finally {
                port.completeExceptionally(new IllegalStateException("the application exited before Tomcat started"));
                echo.completeExceptionally(new IllegalStateException("the application exited before its echo server listened"));
            }
        });
        try {
            return new SampleAppProcess(p, port.get(3, TimeUnit.MINUTES), log, echo); // a hang guard
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("the sample application did not start: " + e + "; its log:\n" + String.join("\n", log), e);
        }
    }

    public int port() {
        return port;
    }

    /** The Prometheus target: host:port. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    public String post(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + target() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    public String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + target() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    /**
     * Sends {@code lines} lines through the application's echo server and reads each back: a
     * kernel's ordinary work, thousands of cycles (each read and write a trap).
     */
    public void echo(int lines) throws Exception {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), echoPort.get(1, TimeUnit.MINUTES))) {
            s.setSoTimeout(60_000); // a hang guard
            var out = new java.io.PrintWriter(new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), true);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < lines; i++) {
                out.println("line " + i);
                assertThat(in.readLine()).isEqualTo("line " + i);
            }
        }
    }

    /** The application's own {@code /actuator/prometheus}: value by {@code name{sorted labels}}. */
    public Map<String, Double> scrape() throws Exception {
        return parse(get("/actuator/prometheus"));
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.put(key(m.group(1), labels), Double.parseDouble(m.group(3)));
        }
        return out;
    }

    /** {@code name{a="x",b="y"}} with the labels sorted. */
    public static String key(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        return b.append('}').toString();
    }

    public String log() {
        return String.join("\n", log);
    }

    @Override
    public void close() {
        stop(process);
    }

    /** Stops a child process: politely, then forcibly after 30 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Fails unless the application is still alive (a crashed app explains a failed wait). */
    public void assertAlive() {
        if (!process.isAlive()) {
            fail("the sample application on port " + port + " exited (" + process.exitValue() + "); its log:\n" + log());
        }
    }
}
