package dev.curio.actuate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * {@link SecuredEndpointScenarios} with the actuator on a port of its own, the README's first
 * advice, on Spring MVC: Boot serves it from a child context, and the README's security chain,
 * the cancel checks and their audit line (with the principal's name) must all reach it there.
 */
@SpringBootTest(classes = SecuredCurioEndpointHttpTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=curio,health,info",
                "management.endpoint.curio.access=unrestricted", "curio.kernel-name=secured-port"})
class SecuredManagementPortHttpTest extends SecuredEndpointScenarios {

    @LocalManagementPort
    int managementPort;

    @Override
    int actuatorPort() {
        return managementPort;
    }

    @Test
    void theActuatorIsNotOnTheApplicationsPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(serverPort);
        assertThat(TestApp.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + serverPort + "/actuator/curio")).GET().build()).status())
                .isEqualTo(404);
    }
}
