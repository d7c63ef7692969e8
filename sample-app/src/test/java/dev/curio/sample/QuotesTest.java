package dev.curio.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curio.kernel.Activation;
import dev.curio.kernel.Task;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * {@code GET /quote/db} in the whole sample application on a random port, over real HTTP: the
 * request's task group reads the price from the embedded H2 and the rate from the sample's own
 * slow {@code /quote/rate} at once; a request whose timeout elapses first answers 503, once the
 * blocked rate call has ended by its read timeout (it cannot hear the cancel). The read timeout is
 * 3 s here (1 s in the sample) so that a slow machine does not fail the quote that should pass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.chat.port=0", "sample.echo.port=0", "spring.http.clients.read-timeout=3s"})
class QuotesTest {

    /** How the tasks of /quote/db requests ended, in order. */
    static final class Ends {
        final List<String> events = new ArrayList<>();
        CompletableFuture<Void> requestEnded = new CompletableFuture<>();

        synchronized void add(String event, boolean request) {
            events.add(event);
            if (request) {
                requestEnded.complete(null);
            }
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        synchronized void reset() {
            events.clear();
            requestEnded = new CompletableFuture<>();
        }
    }

    @TestConfiguration
    static class RecordEnds {
        @Bean
        Ends ends() {
            return new Ends();
        }

        @Bean
        Activation quoteTaskEnds(Ends ends) {
            return new Activation() {
                @Override
                public void terminated(Task<?> task) {
                    String name = task.name();
                    boolean request = "http GET /quote/db".equals(name);
                    if (request || "price".equals(name) || "rate".equals(name)) {
                        Throwable e = task.exception();
                        ends.add(name + " ended: " + (e == null ? "returned"
                                : e.getClass().getSimpleName() + " " + e.getMessage().lines().findFirst().orElse("")),
                                request);
                    }
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Ends ends;

    @BeforeEach
    void reset() {
        ends.reset();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aQuoteJoinsThePriceFromTheDatabaseAndTheRateFromTheSlowService() throws Exception {
        HttpResponse<String> response = get("/quote/db?symbol=ACME&rateDelayMs=50&timeoutMs=10000");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"symbol\":\"ACME\",\"usd\":123.45,\"eurPerUsd\":0.92,\"eur\":113.57}");
        ends.requestEnded.get(30, TimeUnit.SECONDS);
        List<String> events = ends.events();
        assertThat(events.subList(0, 2)).containsExactlyInAnyOrder("price ended: returned", "rate ended: returned");
        assertThat(events.subList(2, events.size())).containsExactly("http GET /quote/db ended: returned");
    }

    @Test
    void aRequestWhoseTimeoutElapsesFirstAnswers503OnceTheBlockedCallEnded() throws Exception {
        // The rate service answers after 10 s: the 100 ms timeout elapses while the rate task is
        // blocked in the HTTP call; the call ends by its read timeout, then the request answers.
        HttpResponse<String> response = get("/quote/db?symbol=ACME&rateDelayMs=10000&timeoutMs=100");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":503");
        ends.requestEnded.get(30, TimeUnit.SECONDS);
        List<String> events = ends.events();
        // the rate task's cancel was pending all along: its call ended by the read timeout, and it
        // ended with the call's failure (no trap came after it to deliver the cancel)
        assertThat(events.subList(0, 2)).hasSize(2).contains("price ended: returned").anySatisfy(e -> assertThat(e)
                .startsWith("rate ended: ResponseStatusException 502 BAD_GATEWAY \"the rate service failed: I/O error"
                        + " on GET request for \"http://127.0.0.1:" + port + "/quote/rate\""));
        assertThat(events.subList(2, events.size())).containsExactly(
                "http GET /quote/db ended: TaskTimeout timed out after 0.1 s");
    }

    @Test
    void anUnknownSymbolIs404AndABadParameterIs400() throws Exception {
        assertThat(get("/quote/db?symbol=NOPE&rateDelayMs=0&timeoutMs=10000").statusCode()).isEqualTo(404);
        ends.requestEnded.get(30, TimeUnit.SECONDS); // so that its end is not the next test's event
        HttpResponse<String> bad = get("/quote/db?symbol=ACME&timeoutMs=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("timeoutMs must be between 1 and 10000, was 0");
    }
}
