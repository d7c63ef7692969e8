package dev.curio.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: a Curio kernel bean (from the starter) running the tutorial's chat and
 * echo servers, plus an HTTP API that starts demo jobs, so that tasks can be watched in the task
 * table, the metrics and the dashboard, and cancelled from outside.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
