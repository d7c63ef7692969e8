package dev.curio.spring.boot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The test's own slow HTTP endpoint, {@code GET /slow} on 127.0.0.1 and a free port (the JDK's
 * HTTP server, on platform threads of its own): it answers only when the test says so
 * ({@link #answer}), so a call to it blocks exactly as long as the test wants, with no sleep.
 * One request at a time per test; reset before each test. On a failing test, prints what it saw.
 */
final class SlowHttpServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, TestWatcher {

    private HttpServer server;
    private ExecutorService threads;
    private volatile CompletableFuture<Void> arrived = new CompletableFuture<>();
    private volatile CompletableFuture<String> answer = new CompletableFuture<>();
    private final List<String> seen = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        threads = Executors.newCachedThreadPool(r -> Thread.ofPlatform().name("slow-http").daemon(true).unstarted(r));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/slow", this::slow);
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop(0);
        threads.shutdownNow();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        arrived = new CompletableFuture<>();
        answer = new CompletableFuture<>();
        synchronized (seen) {
            seen.clear();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        synchronized (seen) {
            System.err.println("=== " + context.getDisplayName() + " failed; the slow endpoint saw: " + seen);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");
    }

    /** Completes when the request reached the server (it holds it until {@link #answer}). */
    CompletableFuture<Void> arrived() {
        return arrived;
    }

    /** Lets the held request (or the next one) answer 200 with {@code body}. */
    void answer(String body) {
        log("told to answer " + body);
        answer.complete(body);
    }

    private void log(String event) {
        synchronized (seen) {
            seen.add(event);
        }
    }

    private void slow(HttpExchange exchange) throws IOException {
        try (exchange) {
            log("request " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            arrived.complete(null);
            int status = 200;
            String body;
            try {
                body = answer.get(30, TimeUnit.SECONDS); // bounded: a test that never answers fails, not hangs
            } catch (TimeoutException e) {
                status = 504;
                body = "the test never said to answer";
            } catch (Exception e) {
                status = 500;
                body = e.toString();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            log("answered " + status);
        }
    }
}
