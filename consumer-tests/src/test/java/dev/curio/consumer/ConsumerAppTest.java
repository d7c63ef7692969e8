package dev.curio.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failing check of a consumer application carries what is needed to diagnose it: its output
 * and, while it runs, its threads. (ConsumerAppsIT.webfluxApplication once failed with a request
 * that got no answer in 60 s, and nothing else to go on.)
 */
class ConsumerAppTest {

    @Test
    void aFailedCheckCarriesTheApplicationsOutputAndItsThreads() throws Exception {
        // a child JVM that says something, then waits for its standard input (never written)
        try (ConsumerApp app = ConsumerApp.start(Path.of("."), List.of("--source", "21",
                Path.of("src", "test", "resources", "Waiter.java").toString()))) {
            app.awaitLine(l -> l.equals("waiter: waiting for standard input"));
            assertThatThrownBy(() -> app.check(() -> {
                throw new HttpTimeoutException("request timed out");
            })).isInstanceOf(AssertionError.class)
                    .hasCauseInstanceOf(HttpTimeoutException.class)
                    .hasMessageContaining("java.net.http.HttpTimeoutException: request timed out")
                    .hasMessageContaining("--- the consumer application's output ---\nwaiter: waiting for standard input")
                    .hasMessageContaining("--- its threads ---")
                    .hasMessageContaining("\"main\"");
            app.check(() -> assertThat(app.isAlive()).isTrue()); // a passing check passes
        }
    }
}
