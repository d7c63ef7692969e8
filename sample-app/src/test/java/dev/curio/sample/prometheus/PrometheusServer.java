package dev.curio.sample.prometheus;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus server (Debian's {@code prometheus}) run by a test: its own configuration and
 * storage in a temporary directory, listening on a free loopback port, queried through its HTTP
 * API. {@link #close()} kills it and removes the directory; the test calls it in a finally or
 * {@code @AfterAll}. One thread uses it at a time.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STARTUP = Duration.ofMinutes(2); // a hang guard, never a wait

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The {@code prometheus} binary on the PATH or at /usr/bin/prometheus, if any. */
    public static Optional<Path> binary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        Path usr = Path.of("/usr/bin", name);
        return Files.isExecutable(usr) ? Optional.of(usr) : Optional.empty();
    }

    /** The binary, or a failure that says how to install it: this test is not skipped. */
    public static Path requireBinary(String name) {
        return binary(name).orElseGet(() -> fail(name + " is not installed (looked on the PATH and in /usr/bin): this "
                + "test runs the shipped dashboard's queries on a real Prometheus. .ci/run installs it; by hand: "
                + "apt-get install prometheus"));
    }

    /** A free TCP port on 127.0.0.1 at this instant. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts Prometheus with one job scraping {@code targets} (host:port) at {@code /actuator/prometheus}
     * every {@code scrapeInterval}, and returns once it answers {@code /-/ready}.
     */
    public static PrometheusServer start(String job, Duration scrapeInterval, List<String> targets) throws Exception {
        Path bin = requireBinary("prometheus");
        Path dir = Files.createTempDirectory("curio-prometheus-" + job + "-");
        String interval = scrapeInterval.toSeconds() + "s";
        StringBuilder yml = new StringBuilder()
                .append("global:\n  scrape_interval: ").append(interval).append("\n  evaluation_interval: ").append(interval)
                .append("\nscrape_configs:\n  - job_name: ").append(job)
                .append("\n    metrics_path: /actuator/prometheus\n    scrape_timeout: ").append(interval)
                .append("\n    static_configs:\n      - targets: [");
        yml.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList())).append("]\n");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), yml);
        int port = freePort();
        Process p = new ProcessBuilder(bin.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(p, dir, port);
        try {
            long bound = System.nanoTime() + STARTUP.toNanos();
            while (!server.ready()) {
                if (!p.isAlive() || System.nanoTime() > bound) {
                    fail("prometheus did not become ready on 127.0.0.1:" + port + " (alive: " + p.isAlive() + "); its log:\n"
                            + server.log());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // polling its readiness endpoint
            }
            return server;
        } catch (Throwable t) {
            server.close();
            throw t;
        }
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** {@code /api/v1/query} at {@code timeMillis}: the {@code data} node; fails on an API error. */
    public JsonNode query(String expr, long timeMillis) throws Exception {
        String url = base() + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&time=" + seconds(timeMillis);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
            fail("query " + expr + " failed: " + r.statusCode() + " " + r.body());
        }
        return body.get("data");
    }

    /** An instant vector (or scalar) query's series, by their labels. */
    public List<PromQl.Series> vector(String expr, long timeMillis) throws Exception {
        JsonNode data = query(expr, timeMillis);
        List<PromQl.Series> out = new ArrayList<>();
        if (data.get("resultType").asString().equals("scalar")) {
            out.add(new PromQl.Series(Map.of(), Double.parseDouble(data.get("result").get(1).asString())));
            return out;
        }
        if (!data.get("resultType").asString().equals("vector")) {
            fail(expr + " is not an instant vector: " + data);
        }
        for (JsonNode s : data.get("result")) {
            out.add(new PromQl.Series(labels(s.get("metric")), Double.parseDouble(s.get("value").get(1).asString())));
        }
        return out;
    }

    /** The raw samples a range selector {@code selector[range]} picks at {@code timeMillis}. */
    public List<PromQl.Raw> matrix(String rangeSelector, long timeMillis) throws Exception {
        JsonNode data = query(rangeSelector, timeMillis);
        List<PromQl.Raw> out = new ArrayList<>();
        for (JsonNode s : data.get("result")) {
            List<PromQl.Sample> samples = new ArrayList<>();
            for (JsonNode v : s.get("values")) {
                samples.add(new PromQl.Sample(Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asString())));
            }
            out.add(new PromQl.Raw(labels(s.get("metric")), samples));
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> l = new LinkedHashMap<>();
        metric.properties().forEach(e -> l.put(e.getKey(), e.getValue().asString()));
        return l;
    }

    static String seconds(long millis) {
        return millis / 1000 + "." + String.format("%03d", millis % 1000);
    }

    @Override
    public void close() {
        SampleAppProcess.stop(process);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
