package demo;

import dev.curio.Curio;
import dev.curio.spring.boot.CurioTasks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.MDC;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A user's WebFlux application with Curio tasks behind its endpoints. */
@SpringBootApplication
public class WebfluxApp {

    public static void main(String[] args) {
        SpringApplication.run(WebfluxApp.class, args);
    }

    /** Tells whoever started the application which port it got (server.port=0). */
    @Bean
    ApplicationListener<WebServerInitializedEvent> announcePort() {
        return e -> System.out.println("CONSUMER READY port=" + e.getWebServer().getPort());
    }

    @RestController
    static class Endpoints {
        private final CurioTasks curio;

        Endpoints(CurioTasks curio) {
            this.curio = curio;
        }

        /** The caller's MDC entry, read inside a Curio task: context propagation at work. */
        @GetMapping("/mdc")
        CompletableFuture<String> mdc(@RequestParam String id) {
            MDC.put("request.id", id);
            try {
                return curio.submit("mdc", () -> "task saw request.id=" + MDC.get("request.id"));
            } finally {
                MDC.remove("request.id");
            }
        }

        /** Which carrier the kernel got. */
        @GetMapping("/carrier")
        String carrier() {
            return curio.kernel().carrierKind();
        }

        /** The README's example, whose quote takes longer than its timeout. */
        @GetMapping("/quote")
        CompletableFuture<String> quote() {
            return curio.submit("quote", () -> Curio.timeoutAfter(Duration.ofMillis(50), () -> {
                Curio.sleep(Duration.ofMinutes(10));
                return "too late";
            }));
        }
    }
}
