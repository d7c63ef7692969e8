package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** WebFlux with {@code curio.actuator.task-page.enabled=false}: no page, the endpoint as before. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive", "management.endpoints.web.exposure.include=curio",
        "curio.actuator.task-page.enabled=false", "curio.kernel-name=flux"})
class ReactiveTaskPageDisabledHttpTest {

    @LocalServerPort
    int port;

    @Test
    void noPageButTheEndpointAnswers() throws Exception {
        TestApp.Answer page = TestApp.get(port, "/actuator/curio/tasks.html");
        assertThat(page.status()).isEqualTo(400); // the endpoint's own {id} selector: not a task id
        assertThat(page.body()).doesNotContain("<title>Curio tasks</title>");
        assertThat(TestApp.get(port, "/actuator/curio").status()).isEqualTo(200);
    }
}
