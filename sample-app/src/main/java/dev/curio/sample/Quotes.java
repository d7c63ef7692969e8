package dev.curio.sample;

import dev.curio.Curio;
import dev.curio.kernel.Task;
import dev.curio.spring.boot.CurioTasks;
import dev.curio.spring.boot.web.CurioRequests;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

/**
 * The realistic endpoint: {@code GET /quote/db?symbol=ACME} runs, in the request's task group, a
 * database query (JDBC through Boot's pool; an embedded H2 in memory unless spring.datasource.*
 * says otherwise) and a slow HTTP call (Boot's RestClient, to this application's own
 * {@code /quote/rate}, which answers after {@code rateDelayMs}) at the same time, under
 * {@code timeoutMs}: 503 when it elapses first.
 *
 * <p>Both calls block their task in the JDK. On the kernel-owned carrier a blocked task steps out
 * of the kernel, so the kernel serves everything else meanwhile; but a blocked call cannot hear a
 * cancel: when the timeout fires, the group waits for the call to return. So each call is bounded
 * by itself too (application.properties): the HTTP call by a read timeout
 * ({@code spring.http.clients.read-timeout}), the query by a JDBC query timeout
 * ({@code spring.jdbc.template.query-timeout}). The 503 comes at most a read timeout after
 * {@code timeoutMs}.
 */
@RestController
@RequestMapping("/quote")
class Quotes {

    /** The answer of {@code /quote/db}: the price in dollars from the database, in euros at the rate. */
    record Quote(String symbol, BigDecimal usd, BigDecimal eurPerUsd, BigDecimal eur) {}

    /** The answer of {@code /quote/rate}. */
    record Rate(String from, String to, BigDecimal rate) {}

    private static final BigDecimal EUR_PER_USD = new BigDecimal("0.92");

    private final CurioRequests requests;
    private final CurioTasks curio;
    private final JdbcClient db;
    private final RestClient http;
    private final Environment environment;

    Quotes(CurioRequests requests, CurioTasks curio, JdbcClient db, RestClient.Builder restClients,
            Environment environment) {
        this.requests = requests;
        this.curio = curio;
        this.db = db;
        this.http = restClients.build();
        this.environment = environment;
    }

    @GetMapping("/db")
    DeferredResult<Quote> quote(HttpServletRequest request, @RequestParam(defaultValue = "ACME") String symbol,
            @RequestParam(defaultValue = "200") int rateDelayMs, @RequestParam(defaultValue = "1000") int timeoutMs) {
        if (rateDelayMs < 0 || rateDelayMs > 10_000) {
            throw new IllegalArgumentException("rateDelayMs must be between 0 and 10000, was " + rateDelayMs);
        }
        if (timeoutMs < 1 || timeoutMs > 10_000) {
            throw new IllegalArgumentException("timeoutMs must be between 1 and 10000, was " + timeoutMs);
        }
        String rateUri = self() + "/quote/rate?delayMs=" + rateDelayMs;
        return requests.run(request, Duration.ofMillis(timeoutMs), group -> {
            Task<BigDecimal> usd = group.spawn("price", () -> db.sql("SELECT usd FROM price WHERE symbol = ?")
                    .param(symbol)
                    .query(BigDecimal.class)
                    .optional()
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no price for " + symbol)));
            Task<Rate> rate = group.spawn("rate", () -> {
                try {
                    return http.get().uri(rateUri).retrieve().body(Rate.class);
                } catch (RestClientException e) {
                    throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "the rate service failed: " + e.getMessage(), e);
                }
            });
            group.join();
            BigDecimal dollars = usd.result(); // a member's failure is rethrown here: the price's (404) first
            BigDecimal eurPerUsd = rate.result().rate(); // then the rate's (502)
            return new Quote(symbol, dollars, eurPerUsd, dollars.multiply(eurPerUsd).setScale(2, RoundingMode.HALF_EVEN));
        });
    }

    /** The slow service that {@code /quote/db} calls: answers the rate after {@code delayMs} (a Curio sleep). */
    @GetMapping("/rate")
    CompletableFuture<Rate> rate(@RequestParam(defaultValue = "0") int delayMs) {
        if (delayMs < 0 || delayMs > 10_000) {
            throw new IllegalArgumentException("delayMs must be between 0 and 10000, was " + delayMs);
        }
        return curio.submit("rate-service", () -> {
            Curio.sleep(Duration.ofMillis(delayMs));
            return new Rate("USD", "EUR", EUR_PER_USD);
        });
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** This application's own HTTP address, as it listens (loopback when it listens on all). */
    private String self() {
        String address = environment.getProperty("server.address");
        String host = "127.0.0.1";
        try {
            if (address != null && !InetAddress.getByName(address).isAnyLocalAddress()) {
                host = address.contains(":") ? "[" + address + "]" : address;
            }
        } catch (UnknownHostException e) {
            host = address;
        }
        return "http://" + host + ":" + environment.getRequiredProperty("local.server.port");
    }
}
