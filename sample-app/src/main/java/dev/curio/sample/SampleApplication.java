package dev.curio.sample;

import dev.curio.Curio;
import dev.curio.kernel.Kernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The sample application. For now it runs the tutorial's countdown on a Curio kernel at start-up
 * and stays up; the starter and actuator issues turn it into the full demo (chat server, echo
 * server, demo jobs, task table).
 */
@SpringBootApplication
public class SampleApplication {

    private static final Logger LOG = LoggerFactory.getLogger(SampleApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    @Bean
    ApplicationRunner countdown() {
        return args -> {
            int n = Curio.run(Kernel.builder().name("sample"), () -> {
                LOG.info("kernel {} runs on the {} carrier", Kernel.current().name(), Kernel.current().carrierKind());
                for (int i = 3; i > 0; i--) {
                    LOG.info("T-minus {}", i);
                    Curio.sleep(1);
                }
                return 0;
            });
            LOG.info("countdown finished ({}); the application stays up until stopped", n);
        };
    }
}
